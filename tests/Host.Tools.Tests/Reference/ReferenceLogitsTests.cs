using Edge.Runtime.Inference;
using Host.Tools.Building;
using Host.Tools.Import;
using Host.Tools.Models.Enet;
using Host.Tools.Preprocessing;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Reference;

/// <summary>
/// The exported ONNX models against PyTorch's own logits (reference-logits.json), at 512x1024 with the paper's
/// preprocessing. Tolerance 2e-3 per logit. ENet's max-unpooling puts a value at the position of its 2x2 window's
/// maximum; where two candidates are equal to within float rounding, ONNX Runtime and PyTorch may pick different ones
/// and the few output pixels that read that position differ by ~1e-2. At most one sampled pixel of 256 may do so
/// (seen: 1 pixel, enet-seed-560-void on RoadAnomaly21/0.png); every other logit must be within 2e-3.
/// </summary>
public sealed class ReferenceLogitsTests
{
    private const float Tolerance = 2e-3f;
    private static readonly ReferenceLogits Reference = ReferenceLogits.Load();
    private readonly ITestOutputHelper _output;

    public ReferenceLogitsTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string, string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var (model, arch, ckpt) in new[]
                     {
                         ("enet-seed-560-void", "enet-seed", "weights/seed/finetuning/enet_560_epochs_finetuned.pth"),
                         ("midenet-distilled", "midenet", "weights/seed/distillation/midenet_distilled.pth"),
                         ("enet-davidtvs", "enet-davidtvs", "weights/enet-davidtvs/model_best.pth"),
                     })
            {
                _ = (arch, ckpt);
                foreach (var image in new[] { "data/Validation_Dataset/RoadAnomaly21/images/0.png", "data/Validation_Dataset/RoadAnomaly/images/0.jpg" })
                {
                    data.Add(model, image, $"{arch}|{ckpt}");
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_logits_match_pytorch_reference_at_sampled_pixels(string model, string image, string source)
    {
        var (architecture, checkpoint) = (source.Split('|')[0], source.Split('|')[1]);
        var dir = Directory.CreateTempSubdirectory("edgeseg-ref-");
        try
        {
            var onnx = Path.Combine(dir.FullName, model + ".onnx");
            new ModelBuilder(NullLogger.Instance).BuildSingle(
                new ManifestEntry { Name = model, Architecture = architecture, Checkpoint = checkpoint },
                TestPaths.Shared(checkpoint), onnx, 512, 1024, UnpoolMode.MaxUnpool);
            using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = onnx }, NullLogger.Instance);
            new PaperPreprocessor(512, 1024).Process(ImageLoader.Load(TestPaths.Shared(image)), session.InputBuffer);
            session.Run();
            var (maxInlier, outliers, maxAll) = Compare(session.Logits.ToArray(), Reference.LogitsAtSamples(model, image));
            _output.WriteLine($"{model} {image}: max |d| over pixels within tolerance {maxInlier:E3}; pixels over {Tolerance}: {outliers}; max |d| {maxAll:E3}");
            Assert.True(outliers <= 1, $"{outliers} sampled pixels differ by more than {Tolerance} (max {maxAll})");
            Assert.True(maxInlier <= Tolerance);
            Assert.True(maxAll <= 0.05, $"max |d| {maxAll} is larger than a max-unpool tie flip explains");

            var means = Reference.ChannelMeans(model, image);
            var logits = session.Logits;
            var plane = 512 * 1024;
            for (var c = 0; c < means.Length; c++)
            {
                double sum = 0;
                foreach (var v in logits.Slice(c * plane, plane))
                {
                    sum += v;
                }

                Assert.True(Math.Abs(sum / plane - means[c]) <= 1e-3, $"channel {c} mean {sum / plane} vs reference {means[c]}");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void TorchSharp_forward_matches_pytorch_reference_at_sampled_pixels()
    {
        const string image = "data/Validation_Dataset/RoadAnomaly/images/0.jpg";
        using var net = NetworkImporter.Load("midenet", TestPaths.Shared("weights/seed/distillation/midenet_distilled.pth"));
        var input = new float[3 * 512 * 1024];
        new PaperPreprocessor(512, 1024).Process(ImageLoader.Load(TestPaths.Shared(image)), input);
        using var x = tensor(input, [1, 3, 512, 1024]);
        using var noGrad = no_grad();
        using var y = net.call(x);
        var (maxInlier, outliers, _) = Compare(y.data<float>().ToArray(), Reference.LogitsAtSamples("midenet-distilled", image));
        Assert.Equal(0, outliers);
        Assert.True(maxInlier <= Tolerance);
    }

    private static (float MaxInlier, int Outliers, float MaxAll) Compare(float[] logits, float[][] reference)
    {
        const int h = 512, w = 1024;
        float maxInlier = 0, maxAll = 0;
        var outliers = 0;
        for (var i = 0; i < Reference.Ys.Length; i++)
        {
            float pixelMax = 0;
            for (var c = 0; c < reference.Length; c++)
            {
                var d = Math.Abs(logits[(c * h + Reference.Ys[i]) * w + Reference.Xs[i]] - reference[c][i]);
                pixelMax = Math.Max(pixelMax, d);
            }

            maxAll = Math.Max(maxAll, pixelMax);
            if (pixelMax > Tolerance)
            {
                outliers++;
            }
            else
            {
                maxInlier = Math.Max(maxInlier, pixelMax);
            }
        }

        return (maxInlier, outliers, maxAll);
    }
}
