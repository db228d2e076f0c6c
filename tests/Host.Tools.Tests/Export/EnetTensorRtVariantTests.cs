using Host.Tools.Export;
using Host.Tools.Models;
using Host.Tools.Models.Enet;
using Host.Tools.Tests.Support;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Export;

public sealed class EnetTensorRtVariantTests
{
    [Theory]
    [InlineData("enet-seed")]
    [InlineData("enet-davidtvs")]
    public void TensorRt_variant_has_no_indices_or_unpool_and_equals_maxunpool_graph_with_ties(string architecture)
    {
        manual_seed(3);
        using var net = NetworkFactory.Create(architecture, 20);
        Randomize.BatchNorms(net, 5);
        net.eval();
        const int h = 64, w = 128;
        var reference = OnnxExporter.Build(net, h, w, UnpoolMode.MaxUnpool);
        var trt = OnnxExporter.Build(net, h, w, UnpoolMode.TensorRt);

        Assert.Contains(reference.Graph.Node, n => n.OpType == "MaxUnpool");
        Assert.DoesNotContain(trt.Graph.Node, n => n.OpType is "MaxUnpool");
        Assert.DoesNotContain(trt.Graph.Node, n => n.OpType == "MaxPool" && n.Output.Count > 1);

        // Flat colour blocks make whole pooling windows equal: every tie must be broken like MaxPool's indices.
        var input = new float[3 * h * w];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    input[(c * h + y) * w + x] = ((x / 16 + y / 8 + c) % 3) / 2f;
                }
            }
        }

        var expected = OnnxTestRunner.Run(reference, input, [1, 3, h, w]);
        var actual = OnnxTestRunner.Run(trt, input, [1, 3, h, w]);
        Assert.Equal(expected.Length, actual.Length);
        var mismatches = expected.Zip(actual).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
        Assert.Equal(0, mismatches);
    }
}
