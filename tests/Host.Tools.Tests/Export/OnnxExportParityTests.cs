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
        var maxDiff = exp.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-4, $"{architecture}: max |torch - onnx| = {maxDiff}");
    }

    private static Tensor ForwardNoGrad(SegmentationNetwork net, Tensor input)
    {
        using var noGrad = no_grad();
        return net.call(input);
    }
}
