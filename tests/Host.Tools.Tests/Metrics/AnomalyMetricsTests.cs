using Host.Tools.Metrics;

namespace Host.Tools.Tests.Metrics;

public sealed class AnomalyMetricsTests
{
    private static ScoreDistribution Distribution(float[] scores, byte[] labels, int images = 1)
    {
        var histogram = new ScoreHistogram();
        var chunk = (scores.Length + images - 1) / images;
        for (var start = 0; start < scores.Length; start += chunk)
        {
            var n = Math.Min(chunk, scores.Length - start);
            histogram.Add(scores.AsSpan(start, n), labels.AsSpan(start, n), $"image{start}");
        }

        return histogram.ToDistribution();
    }

    [Fact]
    public void Average_precision_matches_the_scikit_learn_documentation_example()
    {
        // sklearn docs: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333; roc_auc_score = 0.75
        var d = Distribution([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        Assert.Equal(5.0 / 6.0, AnomalyMetrics.AveragePrecision(d), 12);
        Assert.Equal(0.75, AnomalyMetrics.Auroc(d), 12);
        Assert.Equal(0.5, AnomalyMetrics.Fpr95(d, Fpr95Convention.Interpolated), 12);
        Assert.Equal(0.5, AnomalyMetrics.Fpr95(d, Fpr95Convention.First), 12);
    }

    [Fact]
    public void Ties_are_one_threshold_and_fpr95_interpolates_linearly()
    {
        // thresholds 3 → (tp 1, fp 0), 2 → (2, 1), 1 → (2, 2); P = N = 2
        var d = Distribution([3f, 2f, 2f, 1f], [1, 1, 0, 0]);
        Assert.Equal(3, d.Count);
        Assert.Equal(0.5 + (0.5 * 2.0 / 3.0), AnomalyMetrics.AveragePrecision(d), 12);
        Assert.Equal(0.875, AnomalyMetrics.Auroc(d), 12);
        Assert.Equal(0.45, AnomalyMetrics.Fpr95(d, Fpr95Convention.Interpolated), 12); // (0,.5)→(.5,1) at tpr .95
        Assert.Equal(0.5, AnomalyMetrics.Fpr95(d, Fpr95Convention.First), 12);
    }

    [Fact]
    public void All_ties_give_one_threshold()
    {
        var d = Distribution([7f, 7f, 7f, 7f], [1, 0, 0, 0]);
        Assert.Equal(1, d.Count);
        Assert.Equal(0.25, AnomalyMetrics.AveragePrecision(d), 12);
        Assert.Equal(0.5, AnomalyMetrics.Auroc(d), 12);
        Assert.Equal(0.95, AnomalyMetrics.Fpr95(d, Fpr95Convention.Interpolated), 12);
        Assert.Equal(1.0, AnomalyMetrics.Fpr95(d, Fpr95Convention.First), 12);
    }

    [Fact]
    public void No_positives_give_NaN_and_no_negatives_give_precision_one()
    {
        var none = Distribution([0.1f, 0.2f], [0, 0]);
        Assert.True(double.IsNaN(AnomalyMetrics.AveragePrecision(none)));
        Assert.True(double.IsNaN(AnomalyMetrics.Fpr95(none)));
        Assert.True(double.IsNaN(AnomalyMetrics.Auroc(none)));
        var all = Distribution([0.1f, 0.2f], [1, 1]);
        Assert.Equal(1.0, AnomalyMetrics.AveragePrecision(all), 12);
        Assert.True(double.IsNaN(AnomalyMetrics.Fpr95(all)));
        Assert.True(double.IsNaN(AnomalyMetrics.Auroc(all)));
    }

    [Fact]
    public void Infinite_scores_are_ordinary_extremes_and_signed_zeros_tie()
    {
        var d = Distribution([float.PositiveInfinity, 1f, float.NegativeInfinity, 0f, -0f], [1, 0, 1, 0, 1]);
        Assert.Equal(4, d.Count); // +0 and -0 are one value
        var reference = SortBasedMetrics.Compute([float.PositiveInfinity, 1f, float.NegativeInfinity, 0f, -0f], [1, 0, 1, 0, 1]);
        Assert.Equal(reference.Ap, AnomalyMetrics.AveragePrecision(d), 12);
        Assert.Equal(reference.Auroc, AnomalyMetrics.Auroc(d), 12);
        Assert.Equal(float.PositiveInfinity, d.Score(d.Count - 1));
    }

    [Fact]
    public void NaN_score_is_an_error_naming_the_image()
    {
        var histogram = new ScoreHistogram();
        var ex = Assert.Throws<InvalidDataException>(() => histogram.Add([0.5f, float.NaN], [0, 1], "data/images/42.png"));
        Assert.Contains("42.png", ex.Message, StringComparison.Ordinal);
        histogram.Add([0.5f, float.NaN], [0, 255], "ignored-pixel-is-fine.png"); // NaN on an ignored pixel is not counted
    }

    [Theory]
    [InlineData(1, 50_000, 1000, 7)]
    [InlineData(8, 60_000, 0, 11)]
    [InlineData(5, 40_000, 37, 13)]
    public void Pooled_histogram_matches_an_independent_sort_based_implementation(int images, int pixels, int levels, int seed)
    {
        var rng = new Random(seed);
        var scores = new float[pixels];
        var labels = new byte[pixels];
        for (var i = 0; i < pixels; i++)
        {
            var anomaly = rng.NextDouble() < 0.07;
            labels[i] = rng.NextDouble() < 0.05 ? (byte)255 : anomaly ? (byte)1 : (byte)0;
            var s = (float)((rng.NextDouble() * 2) - 1 + (anomaly ? 0.6 : 0));
            scores[i] = levels > 0 ? MathF.Round(s * levels) / levels : s; // levels > 0: many ties
        }

        var d = Distribution(scores, labels, images);
        var reference = SortBasedMetrics.Compute(scores, labels);
        Assert.Equal(reference.Ap, AnomalyMetrics.AveragePrecision(d), 10);
        Assert.Equal(reference.Auroc, AnomalyMetrics.Auroc(d), 10);
        Assert.Equal(reference.Fpr95Interp, AnomalyMetrics.Fpr95(d, Fpr95Convention.Interpolated), 10);
        Assert.Equal(reference.Fpr95First, AnomalyMetrics.Fpr95(d, Fpr95Convention.First), 10);
        Assert.Equal(labels.Count(l => l == 1), d.TotalPositives);
        Assert.Equal(labels.Count(l => l == 0), d.TotalNegatives);
    }

    [Fact]
    public void Curves_start_at_origin_and_end_at_full_recall()
    {
        var d = Distribution([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        var roc = AnomalyMetrics.RocCurve(d);
        Assert.Equal(new CurvePoint(0, 0), roc[0]);
        Assert.Equal(new CurvePoint(1, 1), roc[^1]);
        var pr = AnomalyMetrics.PrCurve(d);
        Assert.Equal(1.0, pr[^1].X);
        Assert.Equal(0.5, pr[^1].Y);
    }

    [Fact]
    public void Sortable_keys_order_like_floats()
    {
        float[] values = [float.NegativeInfinity, -3e38f, -1f, -1e-45f, 0f, 1e-45f, 0.5f, 1f, 3e38f, float.PositiveInfinity];
        var keys = values.Select(SortableFloat.ToKey).ToArray();
        Assert.True(keys.Zip(keys.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(SortableFloat.ToKey(0f), SortableFloat.ToKey(-0f));
        Assert.All(values, v => Assert.Equal(v, SortableFloat.FromKey(SortableFloat.ToKey(v))));
    }
}
