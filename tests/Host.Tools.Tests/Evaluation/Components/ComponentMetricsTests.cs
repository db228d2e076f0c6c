using Host.Tools.Evaluation.Components;

namespace Host.Tools.Tests.Evaluation.Components;

/// <summary>
/// The SegmentMeIfYouCan component metrics on hand-made maps whose sIoU, PPV and F1 are worked out by hand in each
/// test (label: 0 normal, 1 anomaly, 255 ignore; prediction: 1 = anomaly).
/// </summary>
public sealed class ComponentMetricsTests
{
    private static readonly ComponentSettings NoSizeFilter = new() { MinSegmentPixels = 0, MinObjectPixels = 0 };

    private static ComponentResult Measure(ComponentSettings settings, params (LabelCanvas Prediction, LabelCanvas Labels)[] images)
    {
        using var metrics = new ComponentMetrics(settings);
        foreach (var (prediction, labels) in images)
        {
            metrics.Accumulate(prediction.Pixels, labels.Pixels, labels.Width, labels.Height);
        }

        return metrics.ToResult(0.5);
    }

    /// <summary>Mean of F1_τ over τ = 0.25 … 0.75 given how many of the 11 τ have each F1 value.</summary>
    private static double Mean(params (int Count, double F1)[] parts)
    {
        Assert.Equal(11, parts.Sum(p => p.Count));
        return parts.Sum(p => p.Count * p.F1) / 11 * 100;
    }

    // One 4x4 object (16 px); the prediction is two parts separated by an empty column:
    // A = columns 2-3 (8 px, all on the object), B = columns 5-6 (8 px, 4 on the object, 4 off).
    private static (LabelCanvas Prediction, LabelCanvas Labels) Split()
    {
        var labels = new LabelCanvas(10, 8).Rect(2, 2, 5, 5);
        var prediction = new LabelCanvas(10, 8).Rect(2, 2, 3, 5).Rect(5, 2, 6, 5);
        return (prediction, labels);
    }

    // Two 3x3 objects (columns 1-3 and 6-8) and one prediction over both and the gap between (3x8 = 24 px).
    private static (LabelCanvas Prediction, LabelCanvas Labels) Merged()
    {
        var labels = new LabelCanvas(10, 5).Rect(1, 1, 3, 3).Rect(6, 1, 8, 3);
        var prediction = new LabelCanvas(10, 5).Rect(1, 1, 8, 3);
        return (prediction, labels);
    }

    [Fact]
    public void Split_prediction_counts_both_parts_in_the_objects_sIoU_and_each_part_in_PPV()
    {
        var r = Measure(NoSizeFilter, Split());

        // P = A ∪ B = 16 px, I = 8 + 4 = 12, |G| = 16, A = 0: sIoU = 12 / (16 + 16 - 12) = 0.6; PPV(A) = 1, PPV(B) = 0.5.
        Assert.Equal(1, r.Objects);
        Assert.Equal(2, r.Segments);
        Assert.Equal(60, r.SIoUGt!.Value, 6);
        Assert.Equal(75, r.Ppv!.Value, 6);

        // TP for τ <= 0.6 (8 values), FN above (3); FP = B for τ > 0.5 (0.55 … 0.75).
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0], r.Counts.Select(c => c.TruePositives));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1], r.Counts.Select(c => c.FalsePositives));
        Assert.Equal(100, r.F1At25!.Value, 6);
        Assert.Equal(100, r.F1At50!.Value, 6);
        Assert.Equal(0, r.F1At75!.Value, 6);
        Assert.Equal(Mean((6, 1.0), (2, 2.0 / 3), (3, 0.0)), r.F1Mean!.Value, 3);
    }

    [Fact]
    public void Merged_prediction_over_two_objects_is_not_penalised_for_the_other_object()
    {
        var r = Measure(NoSizeFilter, Merged());

        // Per object: |P| = 24, |G| = 9, I = 9, A = 9 (P on the other object): sIoU = 9 / (24 + 9 - 9 - 9) = 0.6
        // (plain IoU would be 9 / 24 = 0.375). PPV = 18 / 24 = 0.75.
        Assert.Equal(2, r.Objects);
        Assert.Equal(1, r.Segments);
        Assert.Equal(60, r.SIoUGt!.Value, 6);
        Assert.Equal(75, r.Ppv!.Value, 6);
        Assert.Equal([2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0], r.Counts.Select(c => c.TruePositives));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2], r.Counts.Select(c => c.FalseNegatives));
        Assert.All(r.Counts, c => Assert.Equal(0, c.FalsePositives)); // 0.75 < τ never holds for τ <= 0.75
        Assert.Equal(Mean((8, 1.0), (3, 0.0)), r.F1Mean!.Value, 3);
    }

    [Fact]
    public void Ignored_region_drops_predicted_pixels_and_splits_a_prediction_crossing_it()
    {
        // Columns 6-9 ignored; a 4x4 object at columns 2-5; the prediction is rows 2-5, columns 2-13:
        // 16 px on the object, 16 ignored, 16 on normal road beyond the ignored band.
        var labels = new LabelCanvas(16, 8).Rect(6, 0, 9, 7, 255).Rect(2, 2, 5, 5);
        var prediction = new LabelCanvas(16, 8).Rect(2, 2, 13, 5);
        var r = Measure(NoSizeFilter, (prediction, labels));

        // Two segments: left (PPV 1), right (PPV 0); the object's P is the left one only: sIoU = 16 / 16 = 1.
        Assert.Equal(1, r.Objects);
        Assert.Equal(2, r.Segments);
        Assert.Equal(100, r.SIoUGt!.Value, 6);
        Assert.Equal(50, r.Ppv!.Value, 6);
        Assert.All(r.Counts, c => Assert.Equal((1, 0, 1), (c.TruePositives, c.FalseNegatives, c.FalsePositives)));
        Assert.Equal(100 * 2.0 / 3, r.F1Mean!.Value, 3);

        // A prediction wholly inside the ignored band is no segment at all.
        var inside = new LabelCanvas(16, 8).Rect(2, 2, 5, 5).Rect(7, 1, 8, 6);
        var clean = Measure(NoSizeFilter, (inside, labels));
        Assert.Equal(1, clean.Segments);
        Assert.Equal(100, clean.F1Mean!.Value, 6);
    }

    [Fact]
    public void Segment_smaller_than_min_segment_px_is_removed_and_one_of_exactly_that_size_kept()
    {
        // The object predicted exactly (16 px) plus a 3-pixel blob of noise on the road.
        var labels = new LabelCanvas(12, 8).Rect(1, 1, 4, 4);
        var prediction = new LabelCanvas(12, 8).Rect(1, 1, 4, 4).Rect(8, 6, 10, 6);

        var kept = Measure(new ComponentSettings { MinSegmentPixels = 3, MinObjectPixels = 0 }, (prediction, labels));
        Assert.Equal(2, kept.Segments);
        Assert.Equal(50, kept.Ppv!.Value, 6); // (1 + 0) / 2
        Assert.Equal(100 * 2.0 / 3, kept.F1Mean!.Value, 3); // TP 1, FP 1 at every τ

        var removed = Measure(new ComponentSettings { MinSegmentPixels = 4, MinObjectPixels = 0 }, (prediction, labels));
        Assert.Equal(1, removed.Segments);
        Assert.Equal(100, removed.Ppv!.Value, 6);
        Assert.Equal(100, removed.F1Mean!.Value, 6);

        // Larger than the object itself: the object's only segment goes too and the object is missed.
        var all = Measure(new ComponentSettings { MinSegmentPixels = 17, MinObjectPixels = 0 }, (prediction, labels));
        Assert.Equal(0, all.Segments);
        Assert.Null(all.Ppv);
        Assert.Equal(0, all.SIoUGt!.Value, 6);
        Assert.Equal(0, all.F1Mean!.Value, 6);
    }

    [Fact]
    public void Label_object_smaller_than_min_object_px_moves_to_the_ignored_region()
    {
        // A 4x4 object (predicted exactly) and a 2x2 object (not predicted).
        var labels = new LabelCanvas(12, 8).Rect(1, 1, 4, 4).Rect(8, 5, 9, 6);
        var bigOnly = new LabelCanvas(12, 8).Rect(1, 1, 4, 4);

        var counted = Measure(new ComponentSettings { MinSegmentPixels = 0, MinObjectPixels = 4 }, (bigOnly, labels));
        Assert.Equal(2, counted.Objects);
        Assert.Equal(50, counted.SIoUGt!.Value, 6); // (1 + 0) / 2
        Assert.Equal(100 * 2.0 / 3, counted.F1Mean!.Value, 3); // TP 1, FN 1

        var ignored = Measure(new ComponentSettings { MinSegmentPixels = 0, MinObjectPixels = 5 }, (bigOnly, labels));
        Assert.Equal(1, ignored.Objects);
        Assert.Equal(100, ignored.SIoUGt!.Value, 6);
        Assert.Equal(100, ignored.F1Mean!.Value, 6);

        // A prediction of the tiny object (plus 2 road pixels) keeps only its road pixels once the object is ignored:
        // a segment of PPV 0.
        var both = new LabelCanvas(12, 8).Rect(1, 1, 4, 4).Rect(8, 5, 10, 6);
        var r = Measure(new ComponentSettings { MinSegmentPixels = 0, MinObjectPixels = 5 }, (both, labels));
        Assert.Equal(1, r.Objects);
        Assert.Equal(2, r.Segments);
        Assert.Equal(50, r.Ppv!.Value, 6);
    }

    [Fact]
    public void F1_sums_counts_over_the_images_of_a_set_at_every_tau()
    {
        var r = Measure(NoSizeFilter, Split(), Merged());

        // Objects: sIoU 0.6, 0.6, 0.6; segments: PPV 1, 0.5, 0.75.
        // τ <= 0.5: TP 3 → F1 1; τ = 0.55, 0.6: TP 3, FP 1 → 6/7; τ >= 0.65: TP 0, FN 3, FP 1 → 0.
        Assert.Equal(3, r.Objects);
        Assert.Equal(3, r.Segments);
        Assert.Equal(60, r.SIoUGt!.Value, 6);
        Assert.Equal(75, r.Ppv!.Value, 6);
        Assert.Equal(100, r.F1At25!.Value, 6);
        Assert.Equal(100, r.F1At50!.Value, 6);
        Assert.Equal(6.0 / 7, r.Counts[6].F1, 9);
        Assert.Equal(0.55, r.Counts[6].Tau, 9);
        Assert.Equal(0, r.F1At75!.Value, 6);
        Assert.Equal(Mean((6, 1.0), (2, 6.0 / 7), (3, 0.0)), r.F1Mean!.Value, 3);
        Assert.Equal([0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75], ComponentMetrics.Taus.Select(t => Math.Round(t, 2)));
    }

    [Fact]
    public void Scores_are_predicted_strictly_above_the_threshold_inside_the_region_of_interest()
    {
        var (prediction, labels) = Split();
        var scores = new float[prediction.Pixels.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = prediction.Pixels[i] == 1 ? 0.9f : (i % 2 == 0 ? 0.5f : 0.1f); // 0.5 is not above 0.5
        }

        using var metrics = new ComponentMetrics(NoSizeFilter);
        var image = metrics.Accumulate(scores, 0.5f, labels.Pixels, labels.Width, labels.Height);
        Assert.Equal((1, 2), (image.Objects, image.Segments));
        Assert.Equal(0.6, image.SIoUSum, 9);
        Assert.Equal(1.5, image.PpvSum, 9);
        var fromScores = metrics.ToResult(0.5);
        var fromBinary = Measure(NoSizeFilter, Split());
        Assert.Equal((fromBinary.Objects, fromBinary.Segments, fromBinary.SIoUGt, fromBinary.Ppv, fromBinary.F1Mean), (fromScores.Objects, fromScores.Segments, fromScores.SIoUGt, fromScores.Ppv, fromScores.F1Mean));

        // Nothing predicted, one object: sIoU 0, F1 0, PPV undefined.
        using var empty = new ComponentMetrics(NoSizeFilter);
        empty.Accumulate(scores, 1f, labels.Pixels, labels.Width, labels.Height);
        var r = empty.ToResult(1);
        Assert.Equal((0.0, (double?)null, 0.0), (r.SIoUGt!.Value, r.Ppv, r.F1Mean!.Value));
    }

    [Fact]
    public void Rejects_unmapped_label_values_and_mismatched_sizes()
    {
        var labels = new LabelCanvas(6, 4).Rect(1, 1, 2, 2, 2);
        using var metrics = new ComponentMetrics(NoSizeFilter);
        var error = Assert.Throws<ArgumentException>(() => metrics.Accumulate(new byte[24], labels.Pixels, 6, 4));
        Assert.Contains("label value 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => metrics.Accumulate(new byte[23], new byte[24], 6, 4));
        Assert.Throws<ArgumentException>(() => new ComponentMetrics(new ComponentSettings { MinSegmentPixels = -1 }));
    }

    [Fact]
    public void Default_sizes_follow_the_set_type()
    {
        Assert.Equal((50, 10), Sizes(ComponentSettings.ForDataset("RoadObsticle21")));
        Assert.Equal((500, 100), Sizes(ComponentSettings.ForDataset("fs_static")));
        Assert.Equal((500, 100), Sizes(ComponentSettings.ForDataset("RoadAnomaly21")));
        Assert.Equal((20, 100), Sizes(ComponentSettings.ForDataset("RoadAnomaly", minSegmentPixels: 20)));

        static (int, int) Sizes(ComponentSettings s) => (s.MinSegmentPixels, s.MinObjectPixels);
    }
}
