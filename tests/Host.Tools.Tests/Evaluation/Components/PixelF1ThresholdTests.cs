using Host.Tools.Evaluation.Components;
using Host.Tools.Metrics;

namespace Host.Tools.Tests.Evaluation.Components;

public sealed class PixelF1ThresholdTests
{
    [Fact]
    public void Best_threshold_is_the_brute_force_best_F1_score_one_ulp_down()
    {
        var random = new Random(11);
        var scores = new float[4000];
        var labels = new byte[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            labels[i] = random.Next(10) switch { 0 => 255, < 4 => 1, _ => 0 };
            var signal = labels[i] == 1 ? 0.3 : 0.0;
            scores[i] = MathF.Round((float)(random.NextDouble() + signal), 2) - 0.5f; // ties and negative values
        }

        var histogram = new ScoreHistogram();
        histogram.Add(scores, labels, "synthetic");
        var best = PixelF1Threshold.Best(histogram.ToDistribution());
        Assert.NotNull(best);

        // Brute force: every distinct counted value v, predicted = score >= v; the highest v on ties of F1.
        var counted = Enumerable.Range(0, scores.Length).Where(i => labels[i] != 255).ToArray();
        double positives = counted.Count(i => labels[i] == 1), bestF1 = -1;
        var bestScore = float.NaN;
        foreach (var v in counted.Select(i => scores[i]).Distinct().OrderDescending())
        {
            double tp = counted.Count(i => scores[i] >= v && labels[i] == 1), fp = counted.Count(i => scores[i] >= v && labels[i] == 0);
            var f1 = 2 * tp / ((2 * tp) + fp + (positives - tp));
            if (f1 > bestF1)
            {
                (bestF1, bestScore) = (f1, v);
            }
        }

        Assert.Equal(bestScore, best.Score);
        Assert.Equal(bestF1, best.F1, 12);
        Assert.True(best.Threshold < best.Score);
        Assert.Equal(counted.Count(i => scores[i] >= bestScore), counted.Count(i => scores[i] > best.Threshold));
        Assert.InRange(best.Precision, 0, 1);
        Assert.InRange(best.Recall, 0, 1);
    }

    [Fact]
    public void No_positive_pixel_has_no_best_threshold()
    {
        var histogram = new ScoreHistogram();
        histogram.Add([0.1f, 0.2f, 0.9f], [0, 0, 255], "no anomaly");
        Assert.Null(PixelF1Threshold.Best(histogram.ToDistribution()));
    }
}
