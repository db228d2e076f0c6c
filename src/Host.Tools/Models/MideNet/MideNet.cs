using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.MideNet;

/// <summary>MiDE-Net, the paper's ENet-distilled student (0.07 M parameters): initial block, two bottleneck stages,
/// bilinear x8 up-sampling (align_corners = false) of the 128-channel features, then a 1x1 classifier.</summary>
public sealed class MideNet : SegmentationNetwork
{
    private readonly MideNetInitial _initial;
    private readonly SequentialLayer _bottleneck1;
    private readonly SequentialLayer _bottleneck2;
    private readonly Conv2dLayer _classifier;

    public MideNet(int numClasses = 20)
        : base(nameof(MideNet), numClasses)
    {
        _initial = new MideNetInitial();
        _bottleneck1 = new SequentialLayer(
            new MideNetBottleneck(16, 64, downsample: true), new MideNetBottleneck(64, 64), new MideNetBottleneck(64, 64));
        _bottleneck2 = new SequentialLayer(
            new MideNetBottleneck(64, 128, downsample: true), new MideNetBottleneck(128, 128, dilation: 2),
            new MideNetBottleneck(128, 128, dilation: 4));
        _classifier = new Conv2dLayer(128, numClasses, 1, bias: true);
        register_module("initial", _initial);
        register_module("bottleneck1", _bottleneck1);
        register_module("bottleneck2", _bottleneck2);
        register_module("classifier", _classifier);
    }

    public override string Architecture => "midenet";

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _bottleneck2.call(_bottleneck1.call(_initial.call(input)));
        x = nn.functional.interpolate(x, size: [input.shape[2], input.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        return _classifier.call(x).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input)
    {
        var (height, width) = g.InputSize;
        var x = _initial.EmitAs(g, "initial", input);
        x = _bottleneck1.EmitAs(g, "bottleneck1", x);
        x = _bottleneck2.EmitAs(g, "bottleneck2", x);
        x = g.Resize(x, [1, 128, height, width], linear: true);
        return _classifier.EmitAs(g, "classifier", x);
    }
}
