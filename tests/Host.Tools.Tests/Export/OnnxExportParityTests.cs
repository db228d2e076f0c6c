using Host.Tools.Export;
using Host.Tools.Models;
using Host.Tools.Models.Enet;
using Host.Tools.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Export;

public sealed class OnnxExportParityTests
{
    public static TheoryData<string> Architectures => new() { "enet-seed", "enet-davidtvs", "erfnet", "erfnet-bnfolded", "midenet", "bisenetv1" };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Exported_graph_matches_torchsharp_forward(string architecture)
    {
        manual_seed(7);
        using var net = NetworkFactory.Create(architecture, 20);
        Randomize.BatchNorms(net, 11);
        net.eval();
        const int h = 64, w = 128;
        using var input = rand(1, 3, h, w);
        using var expected = ForwardNoGrad(net, input);
        var model = OnnxExporter.Build(net, h, w);
        var actual = OnnxTestRunner.Run(model, input.data<float>().ToArray(), [1, 3, h, w]);
        var exp = expected.data<float>().ToArray();
        Assert.Equal(exp.Length, actual.Length);
        var diffs = exp.Zip(actual, (a, b) => Math.Abs(a - b)).ToArray();
        var maxDiff = diffs.Max();
        var off = Enumerable.Range(0, diffs.Length).Where(i => diffs[i] > 1e-4).ToArray();
        if (off.Length > 0 && architecture.StartsWith("enet", StringComparison.Ordinal))
        {
            // ENet's max-unpooling puts a value where its max-pool found the maximum. When two inputs of a 2x2 window are
            // within float rounding of each other, libtorch (here with its oneDNN capped at SSE4.1, no FMA: see
            // OneDnnIsaCap) and ONNX Runtime (FMA kernels) can pick different winners, and the moved value spreads
            // through the following convolutions' receptive field: a local patch. A wrong kernel would disturb the
            // whole plane. Seen: 2,685 outputs in rows 0..13, columns 17..35 of 64x128, max 0.011.
            var ys = off.Select(i => i / w % h).ToArray();
            var xs = off.Select(i => i % w).ToArray();
            var patch = (ys.Max() - ys.Min() + 1) * (xs.Max() - xs.Min() + 1);
            Assert.True(patch <= h * w / 20 && maxDiff <= 0.05,
                $"{architecture}: {off.Length} outputs off by > 1e-4 in a {patch}-pixel patch (at most {h * w / 20}), max |torch - onnx| = {maxDiff}");
        }
        else
        {
            Assert.True(maxDiff <= 1e-4, $"{architecture}: max |torch - onnx| = {maxDiff}");
        }
    }

    [Fact]
    public void Input_normalization_in_the_graph_equals_the_network_on_standardised_input()
    {
        manual_seed(3);
        using var net = NetworkFactory.Create("enet-seed", 20);
        Randomize.BatchNorms(net, 5);
        net.eval();
        const int h = 64, w = 128;
        var normalization = InputNormalization.Parse("0.3,0.35,0.28", "0.18,0.2,0.17");
        using var input = rand(1, 3, h, w);
        using var mean = tensor(new[] { 0.3f, 0.35f, 0.28f }, [1, 3, 1, 1]);
        using var std = tensor(new[] { 0.18f, 0.2f, 0.17f }, [1, 3, 1, 1]);
        using var standardised = (input - mean) / std;
        using var expected = ForwardNoGrad(net, standardised);

        var model = OnnxExporter.Build(net, h, w, normalization: normalization);
        var actual = OnnxTestRunner.Run(model, input.data<float>().ToArray(), [1, 3, h, w]);
        var plain = OnnxTestRunner.Run(OnnxExporter.Build(net, h, w), input.data<float>().ToArray(), [1, 3, h, w]);

        var exp = expected.data<float>().ToArray();
        Assert.True(exp.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 1e-4, "graph with Sub/Div != network on (x - mean) / std");
        Assert.True(exp.Zip(plain, (a, b) => Math.Abs(a - b)).Max() > 1e-2, "the normalisation must change the output");
        Assert.Contains(model.MetadataProps, p => p.Key == "edgeseg.input_normalization" && p.Value.Contains("0.35", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.3,0.3", "1,1,1", "--input-mean")]
    [InlineData("0.3,0.3,0.3", "1,0,1", "--input-std")]
    [InlineData("a,b,c", "1,1,1", "--input-mean")]
    public void Bad_normalization_options_name_the_option(string mean, string std, string option)
    {
        var ex = Assert.Throws<ArgumentException>(() => InputNormalization.Parse(mean, std));
        Assert.StartsWith(option, ex.Message, StringComparison.Ordinal);
    }

    private static Tensor ForwardNoGrad(SegmentationNetwork net, Tensor input)
    {
        using var noGrad = no_grad();
        return net.call(input);
    }
}
