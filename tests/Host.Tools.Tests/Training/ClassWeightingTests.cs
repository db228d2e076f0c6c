using Host.Tools.Training;

namespace Host.Tools.Tests.Training;

public sealed class ClassWeightingTests
{
    [Fact]
    public void Enet_weights_are_one_over_log_of_1_02_plus_class_probability()
    {
        var frequencies = new ClassFrequencies([600, 300, 100, 0], [1000, 1000, 500, 0]);
        var weights = new EnetClassWeighting().Compute(frequencies);
        double[] p = [0.6, 0.3, 0.1, 0.0];
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(1 / Math.Log(1.02 + p[c]), weights[c], 5);
        }

        Assert.Equal(50.50, weights[3], 1); // an absent class gets the largest weight, 1/ln(1.02)
    }

    [Fact]
    public void Void_classifier_weights_are_enet_weights_without_void_pixels_and_one_for_void()
    {
        // Classes 0..2 plus void (last, 9000 pixels): the shares ignore void, void itself gets weight 1.
        var weights = new EnetClassWeighting().ComputeWithVoidLast(new ClassFrequencies([600, 300, 100, 9000], [1000, 1000, 500, 1000]));

        Assert.Equal(4, weights.Length);
        Assert.Equal(1 / Math.Log(1.02 + 0.6), weights[0], 5);
        Assert.Equal(1 / Math.Log(1.02 + 0.3), weights[1], 5);
        Assert.Equal(1 / Math.Log(1.02 + 0.1), weights[2], 5);
        Assert.Equal(1f, weights[3]);
    }

    [Fact]
    public void Median_frequency_weights_divide_the_median_frequency_by_each_class_frequency()
    {
        // freq = pixels / pixels of images containing the class: 0.6, 0.3, 0.2 -> median 0.3.
        var frequencies = new ClassFrequencies([600, 300, 100, 0], [1000, 1000, 500, 0]);
        var weights = new MedianFrequencyWeighting().Compute(frequencies);
        Assert.Equal(0.5, weights[0], 5);
        Assert.Equal(1.0, weights[1], 5);
        Assert.Equal(1.5, weights[2], 5);
        Assert.Equal(0.0, weights[3]);
    }

    [Fact]
    public void Counting_a_dataset_skips_ignored_pixels_and_counts_image_pixels_per_present_class()
    {
        using var data = new SyntheticCamVid(images: 2, height: 24, width: 32);
        var set = TrainingDataset.CamVid(data.Root, "train");
        var counts = ClassFrequencies.Count(set);
        long labelled = 0;
        foreach (var s in set.Samples)
        {
            labelled += Host.Tools.Evaluation.LabelImage.Load(s.LabelPath!).Pixels.Count(v => v < 11);
        }

        Assert.Equal(labelled, counts.PixelCounts.Sum());
        Assert.Equal(2 * 24 * 32, counts.ImagePixelCounts[0]);
        Assert.Equal(0, counts.ImagePixelCounts[1]);
    }

    [Fact]
    public void Unknown_weighting_name_is_rejected_with_the_choices()
    {
        var ex = Assert.Throws<ArgumentException>(() => ClassWeightingFactory.Create("inverse"));
        Assert.Contains("enet", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'inverse'", ex.Message, StringComparison.Ordinal);
    }
}
