using Host.Tools.Export;
using Host.Tools.Optimization;
using Host.Tools.Tests.Quantization;
using Host.Tools.Tests.Support;
using Onnx;

namespace Host.Tools.Tests.Optimization;

public sealed class GraphRewriteTests
{
    private const int Cin = 3;
    private const int Cout = 2;
    private const int H = 5;
    private const int W = 7;

    [Theory]
    [InlineData(3, 2, 1, 1, true)]   // ENet / ERFNet up-sampling: 3x3, stride 2, pad 1, output_padding 1
    [InlineData(2, 2, 0, 0, true)]   // ERFNet output_conv: 2x2, stride 2
    [InlineData(4, 2, 1, 0, false)]  // overlapping kernel, no bias
    [InlineData(3, 3, 0, 0, true)]   // stride 3: one tap per phase
    [InlineData(3, 2, 0, 1, false)]  // taps at offsets -1..0: begin pad 1
    [InlineData(5, 2, 2, 1, true)]
    public void ConvTranspose_becomes_Conv_and_DepthToSpace_that_compute_the_same_output(int k, int s, int pad, int outputPadding, bool bias)
    {
        var (model, outH, outW) = ConvTransposeModel(k, s, pad, outputPadding, bias, relu: false);
        var input = Ramp(Cin * H * W);
        var expected = OnnxTestRunner.Run(model, input, [1, Cin, H, W]);

        var rewritten = model.Clone();
        var count = new ConvTransposeToDepthToSpace().Apply(rewritten.Graph);

        Assert.Equal(1, count);
        Assert.DoesNotContain(rewritten.Graph.Node, n => n.OpType == "ConvTranspose");
        Assert.Equal(["Conv", "DepthToSpace"], rewritten.Graph.Node.Select(n => n.OpType));
        var actual = OnnxTestRunner.Run(rewritten, input, [1, Cin, H, W]);
        Assert.Equal(Cout * outH * outW, actual.Length);
        AssertClose(expected, actual, 1e-5f);
    }

    [Fact]
    public void ConvTranspose_whose_output_would_need_a_crop_is_left_alone()
    {
        // 1x1 kernel, stride 2: output 2N-1 is not a multiple of the stride.
        var (model, _, _) = ConvTransposeModel(1, 2, 0, 0, true, relu: false);
        Assert.Equal(0, new ConvTransposeToDepthToSpace().Apply(model.Graph));
        Assert.Contains(model.Graph.Node, n => n.OpType == "ConvTranspose");
    }

    [Fact]
    public void Relu_after_the_rewritten_ConvTranspose_moves_in_front_of_DepthToSpace()
    {
        var (model, _, _) = ConvTransposeModel(3, 2, 1, 1, true, relu: true);
        var input = Ramp(Cin * H * W);
        var expected = OnnxTestRunner.Run(model, input, [1, Cin, H, W]);

        GraphOptimizer.Apply(model, foldBatchNorm: true, convTranspose: _ => true);

        Assert.Equal(["Conv", "Relu", "DepthToSpace"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(OnnxExporter.OutputName, model.Graph.Node[^1].Output[0]);
        AssertClose(expected, OnnxTestRunner.Run(model, input, [1, Cin, H, W]), 1e-5f);
        Assert.Contains(model.MetadataProps, p => p.Key == GraphOptimizer.MetadataKey && p.Value.Contains("convtranspose-to-depthtospace=1", StringComparison.Ordinal));
    }

    [Fact]
    public void Single_slope_PRelu_becomes_LeakyRelu_and_per_channel_PRelu_stays()
    {
        var g = new OnnxGraphBuilder { InputSize = (H, W) };
        g.AddInput(OnnxExporter.InputName, [1, Cin, H, W]);
        var a = g.PRelu(OnnxExporter.InputName, g.Initializer("shared", [0.25f], [1]));
        var b = g.PRelu(a, g.Initializer("per_channel", [0.1f, 0.2f, 0.3f], [Cin, 1, 1]));
        g.Rename(b, OnnxExporter.OutputName);
        g.AddOutput(OnnxExporter.OutputName, [1, Cin, H, W]);
        var model = g.ToModel("prelu");
        var input = Ramp(Cin * H * W).Select(v => v - 0.5f).ToArray();
        var expected = OnnxTestRunner.Run(model, input, [1, Cin, H, W]);

        Assert.Equal(1, new ScalarPReluToLeakyRelu().Apply(model.Graph));

        Assert.Equal(["LeakyRelu", "PRelu"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(0.25f, model.Graph.Node[0].Attribute.Single(x => x.Name == "alpha").F);
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name == "shared");
        Assert.Equal(expected, OnnxTestRunner.Run(model, input, [1, Cin, H, W]));
    }

    [Theory]
    [InlineData("enet-seed")]
    [InlineData("erfnet")]
    [InlineData("midenet")]
    public void Rewritten_network_computes_what_the_exported_network_computes(string architecture)
    {
        var model = QuantizationFixture.Export(architecture);
        var input = Ramp(3 * QuantizationFixture.Height * QuantizationFixture.Width);
        long[] shape = [1, 3, QuantizationFixture.Height, QuantizationFixture.Width];
        var expected = OnnxTestRunner.Run(model, input, shape);
        if (architecture == "enet-seed")
        {
            // The exporter already writes ENet's shared-slope PReLUs as LeakyRelu; only the per-channel one is a PRelu.
            Assert.True(model.Graph.Node.Count(n => n.OpType == "LeakyRelu") > 80);
            Assert.Single(model.Graph.Node, n => n.OpType == "PRelu");
        }

        var counts = GraphOptimizer.Apply(model, foldBatchNorm: true, convTranspose: _ => true).ToDictionary(kv => kv.Key, kv => kv.Value);

        if (architecture == "enet-seed")
        {
            Assert.Equal(0, counts["prelu-to-leakyrelu"]);
            Assert.Equal(3, counts["convtranspose-to-depthtospace"]);
        }

        if (architecture == "erfnet")
        {
            Assert.Equal(3, counts["convtranspose-to-depthtospace"]);
            Assert.Equal(2, counts["activation-before-depthtospace"]);
        }

        var actual = OnnxTestRunner.Run(model, input, shape);
        var scale = expected.Max(MathF.Abs);
        AssertClose(expected, actual, 1e-4f * Math.Max(1f, scale));
    }

    private static (ModelProto Model, int OutH, int OutW) ConvTransposeModel(int k, int s, int pad, int outputPadding, bool bias, bool relu)
    {
        var outH = (s * (H - 1)) + k - (2 * pad) + outputPadding;
        var outW = (s * (W - 1)) + k - (2 * pad) + outputPadding;
        var g = new OnnxGraphBuilder { InputSize = (H, W) };
        g.AddInput(OnnxExporter.InputName, [1, Cin, H, W]);
        var w = Enumerable.Range(0, Cin * Cout * k * k).Select(i => MathF.Sin(i * 0.7f) + (0.1f * i % 3)).ToArray();
        var b = bias ? g.Initializer("up.bias", [0.5f, -0.25f], [Cout]) : null;
        var y = g.ConvTranspose(OnnxExporter.InputName, g.Initializer("up.weight", w, [Cin, Cout, k, k]), b, [k, k], [s, s], [pad, pad], [outputPadding, outputPadding]);
        if (relu)
        {
            y = g.Relu(y);
        }

        g.Rename(y, OnnxExporter.OutputName);
        g.AddOutput(OnnxExporter.OutputName, [1, Cout, outH, outW]);
        return (g.ToModel("convtranspose"), outH, outW);
    }

    private static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => ((i * 37) % 101) / 100f).ToArray();

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"max |difference| {worst} > {tolerance}");
    }
}
