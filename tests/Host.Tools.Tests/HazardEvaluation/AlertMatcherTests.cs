using Edge.Runtime.Alerts;
using Host.Tools.Evaluation;
using Host.Tools.HazardEvaluation;

namespace Host.Tools.Tests.HazardEvaluation;

public sealed class AlertMatcherTests
{
    private const int Width = 100;
    private const int Height = 60;

    [Fact]
    public void Object_is_found_by_a_box_covering_half_its_pixels_but_not_by_less()
    {
        var labels = Labels((10, 10, 10, 10, AnomalyDataset.Anomaly)); // 100 pixels
        var half = AlertMatcher.Match(labels, [new BoundingBox(10, 10, 5, 10)]); // 50 pixels, box IoU 0.5
        var thin = AlertMatcher.Match(labels, [new BoundingBox(10, 10, 2, 10)]); // 20 pixels, box IoU 0.2
        Assert.Equal([true], half.Found);
        Assert.Equal([false], thin.Found);
    }

    [Fact]
    public void Object_is_found_by_box_iou_even_when_the_box_covers_few_of_its_pixels()
    {
        // a hollow ring: 4 x 20 border pixels of a 20x20 box; a box of the inner 14x14 covers none of them, IoU 196/400
        var labels = Labels((10, 10, 20, 20, AnomalyDataset.Anomaly), (12, 12, 16, 16, AnomalyDataset.Normal));
        var match = AlertMatcher.Match(labels, [new BoundingBox(13, 13, 14, 14)]);
        Assert.Single(labels.Components);
        Assert.Equal(400 - 256, labels.Components[0].PixelCount);
        Assert.True(new BoundingBox(13, 13, 14, 14).IoU(labels.Components[0].Box) >= AlertMatcher.MinBoxIou);
        Assert.Equal([true], match.Found);
        Assert.Equal([AlertVerdict.False], match.Verdicts); // no anomaly pixel inside the box
    }

    [Fact]
    public void Alert_is_true_from_ten_percent_anomaly_among_labelled_pixels_ignore_left_out()
    {
        // box 10x10 at (50, 20): 10 anomaly pixels, 40 ignore, 50 normal -> 10 / 60 labelled = 16.7 % -> true
        // the same box with the ignore pixels normal instead: 10 / 100 = 10 % -> true; with 9 anomaly pixels: false
        var withIgnore = Labels((50, 20, 10, 4, AnomalyDataset.Ignore), (50, 24, 10, 1, AnomalyDataset.Anomaly));
        var exact = Labels((50, 24, 10, 1, AnomalyDataset.Anomaly));
        var below = Labels((50, 24, 9, 1, AnomalyDataset.Anomaly));
        var box = new BoundingBox(50, 20, 10, 10);
        Assert.Equal([AlertVerdict.True], AlertMatcher.Match(withIgnore, [box]).Verdicts);
        Assert.Equal([AlertVerdict.True], AlertMatcher.Match(exact, [box]).Verdicts);
        Assert.Equal([AlertVerdict.False], AlertMatcher.Match(below, [box]).Verdicts);
    }

    [Fact]
    public void Alert_over_ignore_only_is_unlabelled_and_counts_as_false()
    {
        var labels = Labels((0, 0, 30, 30, AnomalyDataset.Ignore), (60, 30, 10, 10, AnomalyDataset.Anomaly));
        var match = AlertMatcher.Match(labels, [new BoundingBox(5, 5, 10, 10), new BoundingBox(60, 30, 10, 10)]);
        Assert.Equal([AlertVerdict.Unlabelled, AlertVerdict.True], match.Verdicts);
        Assert.Equal(1, match.TrueAlerts);
        Assert.Equal(1, match.FalseAlerts);
        Assert.Equal(1, match.UnlabelledAlerts);
        Assert.Equal(1, match.FoundCount);
    }

    [Fact]
    public void Components_are_eight_connected_and_boxes_outside_the_frame_are_clipped()
    {
        // two squares touching at a corner are one component; a third apart is another
        var labels = Labels((0, 0, 5, 5, AnomalyDataset.Anomaly), (5, 5, 5, 5, AnomalyDataset.Anomaly), (80, 40, 5, 5, AnomalyDataset.Anomaly));
        Assert.Equal(2, labels.Components.Count);
        Assert.Equal([50, 25], labels.Components.Select(c => c.PixelCount));
        var match = AlertMatcher.Match(labels, [new BoundingBox(78, 38, 10, 10), new BoundingBox(-10, -10, 12, 12)]);
        Assert.Equal([false, true], match.Found); // first object: 4 of 50 pixels, IoU 4/(144+100-4); second fully covered (25 of 100 labelled)
        Assert.Equal(2, match.TrueAlerts);
    }

    private static LabelComponents Labels(params (int X, int Y, int W, int H, byte Value)[] rects)
    {
        var pixels = new byte[Width * Height];
        foreach (var (x, y, w, h, value) in rects)
        {
            for (var yy = y; yy < y + h; yy++)
            {
                for (var xx = x; xx < x + w; xx++)
                {
                    pixels[(yy * Width) + xx] = value;
                }
            }
        }

        return LabelComponents.Find(pixels, Width, Height);
    }
}
