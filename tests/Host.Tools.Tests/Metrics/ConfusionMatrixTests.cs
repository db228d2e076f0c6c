using Host.Tools.Metrics;

namespace Host.Tools.Tests.Metrics;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void IoU_per_class_from_hand_counted_pixels_with_ignore_and_void_predictions()
    {
        // truth:      0 0 1 1 255 2
        // prediction: 0 1 1 1 0   3(void)
        var m = new ConfusionMatrix(3, 4);
        m.Add([0, 0, 1, 1, 255, 2], [0, 1, 1, 1, 0, 3]);
        var iou = m.IoU();
        Assert.Equal(1.0 / 2.0, iou[0], 12); // tp 1, fn 1, fp 0 (the 255 pixel is ignored)
        Assert.Equal(2.0 / 3.0, iou[1], 12); // tp 2, fp 1
        Assert.Equal(0.0, iou[2], 12);       // tp 0, fn 1 (predicted void)
        Assert.Equal(((1.0 / 2.0) + (2.0 / 3.0)) / 3.0, m.MeanIoU(), 12);
    }

    [Fact]
    public void Absent_classes_are_left_out_of_the_mean()
    {
        var m = new ConfusionMatrix(3, 3);
        m.Add([0, 0], [0, 0]);
        Assert.True(double.IsNaN(m.IoU()[1]));
        Assert.Equal(1.0, m.MeanIoU(), 12);
    }

    [Fact]
    public void ArgMax_takes_the_first_maximum_like_torch()
    {
        // 3 channels x 2 pixels: pixel 0 ties channels 0 and 2, pixel 1 max at 1
        float[] logits = [5f, 0f, 1f, 3f, 5f, 2f];
        var pred = new byte[2];
        ConfusionMatrix.ArgMax(logits, 3, pred);
        Assert.Equal([0, 1], pred);
    }
}
