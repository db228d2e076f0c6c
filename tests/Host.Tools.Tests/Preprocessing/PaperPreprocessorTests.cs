using Host.Tools.Preprocessing;
using Host.Tools.Tests.Support;
using Xunit.Abstractions;

namespace Host.Tools.Tests.Preprocessing;

public sealed class PaperPreprocessorTests(ITestOutputHelper output)
{
    private const int Height = 512;
    private const int Width = 1024;

    public static TheoryData<string> ReferenceImages() =>
    [
        "data/Validation_Dataset/RoadAnomaly21/images/0.png",
        "data/Validation_Dataset/RoadAnomaly/images/0.jpg",
    ];

    [Theory]
    [MemberData(nameof(ReferenceImages))]
    public void Preprocessed_input_matches_pytorch_reference_pixels_and_mean(string relativeImage)
    {
        var reference = ReferenceInputPixels.Load();
        var image = ImageLoader.Load(TestPaths.Shared(relativeImage));
        var tensor = new float[3 * Height * Width];

        var preprocessor = new PaperPreprocessor(Height, Width);
        preprocessor.Process(image, tensor);
        var best = double.MaxValue;
        for (var i = 0; i < 15; i++)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            preprocessor.Process(image, tensor);
            best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{relativeImage} {image.Width}x{image.Height} -> {Width}x{Height}: resize + CHW best of 15 calls {best:F1} ms (buffers reused)");

        var checkedModels = 0;
        foreach (var (model, images) in reference.Models)
        {
            Assert.True(images.TryGetValue(relativeImage, out var expected), $"{model} has no reference for {relativeImage}");
            var exact = 0;
            var total = 0;
            var worst = 0.0;
            for (var c = 0; c < 3; c++)
            {
                for (var i = 0; i < expected!.InputPixelsAtSamples[c].Length; i++)
                {
                    var actual = tensor[(c * Height * Width) + (reference.Ys[i] * Width) + reference.Xs[i]];
                    var diff = Math.Abs(actual - expected.InputPixelsAtSamples[c][i]);
                    worst = Math.Max(worst, diff);
                    exact += diff <= 1e-6 ? 1 : 0;
                    total++;
                    Assert.True(diff <= 1.0 / 255 + 1e-7, $"{model} {relativeImage} c={c} y={reference.Ys[i]} x={reference.Xs[i]}: expected {expected.InputPixelsAtSamples[c][i]}, got {actual}");
                }
            }

            Assert.True(total > 0, $"{model} {relativeImage}: no sampled input pixels");
            var mean = tensor.Average(v => (double)v);
            output.WriteLine($"{model} {relativeImage}: {exact}/{total} sampled pixels exact (|d| <= 1e-6), worst |d| = {worst:G4}, mean {mean:G9} vs {expected!.InputMean:G9}");
            Assert.Equal(total, exact);
            Assert.True(Math.Abs(mean - expected.InputMean) <= 1e-5, $"{model} {relativeImage}: mean expected {expected.InputMean}, got {mean}");
            checkedModels++;
        }

        Assert.True(checkedModels >= 1, "reference-logits.json lists no model");
    }

    [Fact]
    public void Missing_image_error_names_the_file()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "nope.png");

        var ex = Assert.Throws<FileNotFoundException>(() => ImageLoader.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_image_error_names_the_file()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "garbage.jpg");
        File.WriteAllText(path, "this is not a jpeg");

        var ex = Assert.Throws<InvalidDataException>(() => ImageLoader.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chw_conversion_divides_by_255_per_plane()
    {
        byte[] hwc = [0, 128, 255, 10, 20, 30];
        var chw = new float[6];

        PaperPreprocessor.ToChwUnit(hwc, chw, 2);

        Assert.Equal([0f, 10 / 255f, 128 / 255f, 20 / 255f, 1f, 30 / 255f], chw);
    }
}
