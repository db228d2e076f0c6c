using Host.Tools.Evaluation;
using Host.Tools.Tests.Support;
using Host.Tools.Training;

namespace Host.Tools.Tests.Training;

public sealed class LabelMappingTests
{
    private static string Cityscapes => TestPaths.Shared("data/cityscapes-sample");

    /// <summary>
    /// The shared <c>*_labelTrainIds.png</c> were rasterised from the polygons separately from <c>*_labelIds.png</c>, so
    /// they disagree on ~0.5% of (boundary) pixels whatever the table; the table must give, for every labelId present,
    /// the trainId the shared file holds for the majority of that id's pixels, and agree on at least 99% of pixels.
    /// </summary>
    [Fact]
    public void Cityscapes_labelIds_map_to_the_shared_labelTrainIds_files()
    {
        var dataset = TrainingDataset.Cityscapes(Cityscapes, "train", includeVoid: false);
        Assert.Equal(8, dataset.Samples.Count);
        Assert.Equal(19, dataset.NumClasses);
        var votes = new long[256, 256];
        foreach (var sample in dataset.Samples)
        {
            var ids = LabelImage.Load(sample.LabelPath!);
            var expected = LabelImage.Load(sample.LabelPath!.Replace("_labelIds.png", "_labelTrainIds.png", StringComparison.Ordinal));
            var agree = 0;
            for (var i = 0; i < ids.Pixels.Length; i++)
            {
                votes[ids.Pixels[i], expected.Pixels[i]]++;
                agree += dataset.LabelMap[ids.Pixels[i]] == expected.Pixels[i] ? 1 : 0;
            }

            Assert.True(agree >= 0.99 * ids.Pixels.Length, $"{sample.LabelPath}: {agree} of {ids.Pixels.Length} pixels agree with the labelTrainIds file");
        }

        var checkedIds = 0;
        for (var id = 0; id < 256; id++)
        {
            var majority = Enumerable.Range(0, 256).MaxBy(t => votes[id, t]);
            if (votes[id, majority] > 0)
            {
                Assert.True(dataset.LabelMap[id] == majority, $"labelId {id}: table gives {dataset.LabelMap[id]}, the shared files {majority}");
                checkedIds++;
            }
        }

        Assert.True(checkedIds >= 20, $"only {checkedIds} labelIds occur in the sample");
    }

    [Fact]
    public void Cityscapes_with_void_turns_every_ignored_pixel_into_class_19()
    {
        var dataset = TrainingDataset.Cityscapes(Cityscapes, "train", includeVoid: true);
        Assert.Equal(20, dataset.NumClasses);
        var plain = TrainingDataset.Cityscapes(Cityscapes, "train", includeVoid: false);
        for (var v = 0; v < 256; v++)
        {
            Assert.Equal(plain.LabelMap[v] == 255 ? 19 : plain.LabelMap[v], dataset.LabelMap[v]);
        }
    }

    [Fact]
    public void CamVid_keeps_classes_0_to_10_and_ignores_void_11()
    {
        var dataset = TrainingDataset.CamVid(TestPaths.Shared("data/CamVid"), "train");
        Assert.Equal(367, dataset.Samples.Count);
        Assert.Equal(11, dataset.NumClasses);
        for (var v = 0; v < 256; v++)
        {
            Assert.Equal(v <= 10 ? v : 255, dataset.LabelMap[v]);
        }

        // Through the loader at the native size, no augmentation: labels equal the file with 11 -> 255.
        var sample = dataset.Samples[0];
        var loader = new SampleLoader(360, 480, AugmentationSettings.None);
        var chw = new float[3 * 360 * 480];
        var labels = new long[360 * 480];
        loader.Load(sample, dataset.LabelMap, null, chw, labels);
        var file = LabelImage.Load(sample.LabelPath!);
        Assert.Contains(file.Pixels, v => v == 11);
        Assert.Equal(file.Pixels.Select(v => v == 11 ? 255L : v), labels);
        Assert.All(chw, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Augmentation_is_reproducible_for_a_seed_and_flips_image_and_label_together()
    {
        var dataset = TrainingDataset.CamVid(TestPaths.Shared("data/CamVid"), "train");
        var loader = new SampleLoader(64, 96, new AugmentationSettings { ScaleMin = 1, ScaleMax = 1, FlipProbability = 1 });
        var plain = new SampleLoader(64, 96, AugmentationSettings.None);
        float[] a = new float[3 * 64 * 96], b = new float[3 * 64 * 96];
        long[] la = new long[64 * 96], lb = new long[64 * 96];
        loader.Load(dataset.Samples[1], dataset.LabelMap, new Random(5), a, la);
        plain.Load(dataset.Samples[1], dataset.LabelMap, null, b, lb);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 96; x++)
            {
                Assert.Equal(lb[(y * 96) + 95 - x], la[(y * 96) + x]);
                Assert.Equal(b[(y * 96) + 95 - x], a[(y * 96) + x]);
            }
        }

        var scaled = new SampleLoader(64, 96, new AugmentationSettings());
        float[] c = new float[a.Length], d = new float[a.Length];
        scaled.Load(dataset.Samples[2], dataset.LabelMap, new Random(9), c, la);
        scaled.Load(dataset.Samples[2], dataset.LabelMap, new Random(9), d, lb);
        Assert.Equal(c, d);
        Assert.Equal(la, lb);
    }
}
