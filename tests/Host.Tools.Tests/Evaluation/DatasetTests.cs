using Host.Tools.Evaluation;
using Host.Tools.Tests.Support;
using OpenCvSharp;

namespace Host.Tools.Tests.Evaluation;

public sealed class DatasetTests
{
    private static string Validation => TestPaths.Shared("data/Validation_Dataset");

    [Fact]
    public void Discovers_the_four_course_datasets_with_a_mask_per_image()
    {
        var sets = AnomalyDataset.Discover(Validation);
        Assert.Equal(["RoadAnomaly", "RoadAnomaly21", "RoadObsticle21", "fs_static"], sets.Select(s => s.Name));
        Assert.Equal([60, 10, 30, 30], sets.Select(s => s.Samples.Count));
        var ra21 = sets[1];
        Assert.EndsWith("RoadAnomaly21/images/2.png", ra21.Samples[2].ImagePath, StringComparison.Ordinal);
        Assert.EndsWith("RoadAnomaly21/labels_masks/2.png", ra21.Samples[2].MaskPath, StringComparison.Ordinal);
        Assert.Single(AnomalyDataset.Discover(Path.Combine(Validation, "fs_static")));
        Assert.Equal(["fs_static"], AnomalyDataset.Discover(Validation, ["FS_STATIC"]).Select(s => s.Name));
        Assert.Throws<ArgumentException>(() => AnomalyDataset.Discover(Validation, ["LostAndFound"]));
    }

    [Fact]
    public void Label_values_map_to_anomaly_normal_and_ignore()
    {
        var ra = AnomalyDataset.CreateLabelMap("RoadAnomaly");
        var fs = AnomalyDataset.CreateLabelMap("fs_static");
        Assert.Equal((byte)1, ra[2]);
        Assert.Equal((byte)255, fs[2]);
        Assert.Equal((byte)1, fs[1]);
        Assert.Equal((byte)0, fs[0]);
        Assert.Equal((byte)255, fs[255]);
    }

    [Fact]
    public void Mask_resize_is_pillow_nearest_on_known_pixels()
    {
        // 5x3 mask, value = 10*y + x; Pillow NEAREST to 2x2 picks x = int((i+.5)*2.5) = 1, 3 and y = int((j+.5)*1.5) = 0, 2
        var pixels = new byte[15];
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                pixels[(y * 5) + x] = (byte)((10 * y) + x);
            }
        }

        var identity = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        Assert.Equal([1, 3, 21, 23], new LabelImage(5, 3, pixels).ResizeNearest(2, 2, identity));
    }

    [Fact]
    public void Missing_mask_is_an_error_naming_the_mask()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("set", "images"));
        Directory.CreateDirectory(temp.Combine("set", "labels_masks"));
        File.Copy(Path.Combine(Validation, "RoadAnomaly21/images/0.png"), temp.Combine("set", "images", "7.png"));
        var ex = Assert.Throws<FileNotFoundException>(() => AnomalyDataset.Discover(temp.Combine("set")));
        Assert.Contains(Path.Combine("labels_masks", "7.png"), ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sample's labelTrainIds files were rasterised from the polygons separately, so ~0.4 % of pixels (polygon borders,
    /// ego vehicle) differ from mapping labelIds; the table must give, for every labelId, the trainId those files use most.
    /// </summary>
    [Fact]
    public void Cityscapes_labelIds_map_to_the_shared_labelTrainIds_files()
    {
        var root = TestPaths.Shared("data/cityscapes-sample");
        var dataset = SegmentationDataset.Cityscapes(root, "train");
        Assert.Equal(8, dataset.Samples.Count);
        var counts = new long[256, 256];
        long agree = 0, total = 0;
        foreach (var sample in dataset.Samples)
        {
            var ids = LabelImage.Load(sample.LabelPath);
            var expected = LabelImage.Load(sample.LabelPath.Replace("_labelIds.png", "_labelTrainIds.png", StringComparison.Ordinal));
            for (var i = 0; i < ids.Pixels.Length; i++)
            {
                counts[ids.Pixels[i], expected.Pixels[i]]++;
                agree += dataset.LabelMap[ids.Pixels[i]] == expected.Pixels[i] ? 1 : 0;
                total++;
            }
        }

        var seen = 0;
        for (var id = 0; id < 256; id++)
        {
            var best = Enumerable.Range(0, 256).MaxBy(t => counts[id, t]);
            if (counts[id, best] > 0)
            {
                seen++;
                Assert.True(dataset.LabelMap[id] == best, $"labelId {id}: table gives {dataset.LabelMap[id]}, the labelTrainIds files mostly {best}");
            }
        }

        Assert.True(seen >= 20, $"only {seen} labelIds in the sample");
        Assert.True(agree > 0.99 * total, $"{agree} of {total} pixels agree");
    }

    [Fact]
    public void CamVid_defaults_to_test_then_val_and_names_a_missing_annotation()
    {
        using var temp = new TempFolder();
        foreach (var dir in new[] { "val", "valannot" })
        {
            Directory.CreateDirectory(temp.Combine(dir));
        }

        WriteGray(temp.Combine("val", "a.png"), 4, 3, 0);
        WriteGray(temp.Combine("valannot", "a.png"), 4, 3, 11);
        var dataset = SegmentationDataset.CamVid(temp.Path, null);
        Assert.Equal("camvid-val", dataset.Name);
        Assert.Equal((byte)255, dataset.LabelMap[11]);
        Assert.Equal((byte)10, dataset.LabelMap[10]);

        Directory.CreateDirectory(temp.Combine("test"));
        Directory.CreateDirectory(temp.Combine("testannot"));
        WriteGray(temp.Combine("test", "b.png"), 4, 3, 0);
        var ex = Assert.Throws<FileNotFoundException>(() => SegmentationDataset.CamVid(temp.Path, null));
        Assert.Contains(Path.Combine("testannot", "b.png"), ex.Message, StringComparison.Ordinal);
    }

    internal static void WriteGray(string path, int width, int height, byte value)
    {
        using var mat = new Mat(height, width, MatType.CV_8UC1, new Scalar(value));
        Cv2.ImWrite(path, mat);
    }
}
