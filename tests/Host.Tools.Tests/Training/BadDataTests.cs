using Host.Tools.Training;
using OpenCvSharp;

namespace Host.Tools.Tests.Training;

public sealed class BadDataTests
{
    [Fact]
    public void Missing_label_file_is_an_error_naming_it()
    {
        using var data = new SyntheticCamVid(images: 2, height: 16, width: 24);
        var missing = Path.Combine(data.Root, "trainannot", "img01.png");
        File.Delete(missing);
        var ex = Assert.Throws<FileNotFoundException>(() => TrainingDataset.CamVid(data.Root, "train"));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_of_another_size_than_its_image_is_an_error_naming_both_files()
    {
        using var data = new SyntheticCamVid(images: 1, height: 16, width: 24);
        var label = Path.Combine(data.Root, "trainannot", "img00.png");
        using (var small = new Mat(8, 24, MatType.CV_8UC1, Scalar.All(1)))
        {
            Cv2.ImWrite(label, small);
        }

        var set = TrainingDataset.CamVid(data.Root, "train");
        var loader = new SampleLoader(16, 24, AugmentationSettings.None);
        var ex = Assert.Throws<InvalidDataException>(() => loader.Load(set.Samples[0], set.LabelMap, null, new float[3 * 16 * 24], new long[16 * 24]));
        Assert.Contains(label, ex.Message, StringComparison.Ordinal);
        Assert.Contains("24x8", ex.Message, StringComparison.Ordinal);
        Assert.Contains(set.Samples[0].ImagePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undecodable_image_is_an_error_naming_it()
    {
        using var data = new SyntheticCamVid(images: 1, height: 16, width: 24);
        var set = TrainingDataset.CamVid(data.Root, "train");
        File.WriteAllText(set.Samples[0].ImagePath, "not a png");
        var loader = new SampleLoader(16, 24, AugmentationSettings.None);
        var ex = Assert.Throws<InvalidDataException>(() => loader.Load(set.Samples[0], set.LabelMap, null, new float[3 * 16 * 24], new long[16 * 24]));
        Assert.Contains(set.Samples[0].ImagePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_name_the_option_expected_and_actual()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TrainingSettings { OutputDirectory = "x", Epochs = 0, LearningRate = -1 }.Validate());
        Assert.Contains("--epochs: expected >= 1, got 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--lr: expected a finite value > 0, got -1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TrainingSettings.ParseSize("360by480"));
        Assert.Equal((360, 480), TrainingSettings.ParseSize("360x480"));
    }
}
