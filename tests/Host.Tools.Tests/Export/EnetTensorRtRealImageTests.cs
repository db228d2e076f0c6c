using Host.Tools.Export;
using Host.Tools.Import;
using Host.Tools.Models.Enet;
using Host.Tools.Preprocessing;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.Export;

/// <summary>The TensorRT-safe ENet graphs against the MaxUnpool graphs on real images at 512x1024: bit-identical logits.</summary>
public sealed class EnetTensorRtRealImageTests
{
    [Theory]
    [InlineData("enet-seed", "weights/seed/finetuning/enet_560_epochs_finetuned.pth")]
    [InlineData("enet-davidtvs", "weights/enet-davidtvs/model_best.pth")]
    public void TensorRt_variant_is_bit_identical_to_maxunpool_graph_on_real_images(string architecture, string checkpoint)
    {
        using var net = NetworkImporter.Load(architecture, TestPaths.Shared(checkpoint));
        var reference = OnnxExporter.Build(net, 512, 1024, UnpoolMode.MaxUnpool);
        var trt = OnnxExporter.Build(net, 512, 1024, UnpoolMode.TensorRt);
        var input = new float[3 * 512 * 1024];
        foreach (var image in new[]
                 {
                     "data/Validation_Dataset/RoadAnomaly21/images/0.png",
                     "data/Validation_Dataset/RoadObsticle21/images/" + FirstFile("data/Validation_Dataset/RoadObsticle21/images"),
                     "data/Validation_Dataset/fs_static/images/" + FirstFile("data/Validation_Dataset/fs_static/images"),
                 })
        {
            new PaperPreprocessor(512, 1024).Process(ImageLoader.Load(TestPaths.Shared(image)), input);
            var expected = OnnxTestRunner.Run(reference, input, [1, 3, 512, 1024]);
            var actual = OnnxTestRunner.Run(trt, input, [1, 3, 512, 1024]);
            var mismatches = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                {
                    mismatches++;
                }
            }

            Assert.True(mismatches == 0, $"{image}: {mismatches} of {expected.Length} logits differ");
        }
    }

    private static string FirstFile(string relativeFolder) =>
        Path.GetFileName(Directory.GetFiles(TestPaths.Shared(relativeFolder)).Order(StringComparer.Ordinal).First());
}
