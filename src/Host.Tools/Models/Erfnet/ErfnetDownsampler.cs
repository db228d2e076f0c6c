using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>ERFNet DownsamplerBlock: concat(Conv3x3/2 (in -> out-in), MaxPool2x2) -> BN(eps 1e-3) -> ReLU.</summary>
public sealed class ErfnetDownsampler : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv;
    private readonly BatchNorm2dLayer bn;

    public ErfnetDownsampler(long inChannels, long outChannels)
        : base(nameof(ErfnetDownsampler))
    {
        conv = new Conv2dLayer(inChannels, outChannels - inChannels, 3, stride: 2, padding: 1, bias: true);
        bn = new BatchNorm2dLayer(outChannels, eps: 1e-3);

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = cat([conv.call(input), nn.functional.max_pool2d(input, [2, 2], [2, 2])], 1);
        return nn.functional.relu(bn.call(x)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var convOut = conv.EmitAs(g, "conv", input);
        var pooled = g.MaxPool(input, [2, 2], [2, 2], [0, 0]);
        return g.Relu(bn.EmitAs(g, "bn", g.Concat(1, convOut, pooled)));
    }
}
