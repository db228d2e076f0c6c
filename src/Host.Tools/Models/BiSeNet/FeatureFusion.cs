using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>BiSeNet feature fusion module: ConvBNReLU 1x1 of concat(spatial, context), then a squeeze-excite
/// attention; out = feat * atten + feat.</summary>
public sealed class FeatureFusion : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ConvBnRelu _convblk;
    private readonly Conv2dLayer _conv1;
    private readonly Conv2dLayer _conv2;

    public FeatureFusion(long inChannels, long outChannels)
        : base(nameof(FeatureFusion))
    {
        _convblk = new ConvBnRelu(inChannels, outChannels, 1, padding: 0);
        _conv1 = new Conv2dLayer(outChannels, outChannels / 4, 1, bias: false);
        _conv2 = new Conv2dLayer(outChannels / 4, outChannels, 1, bias: false);
        register_module("convblk", _convblk);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
    }

    public override Tensor forward(Tensor spatial, Tensor context)
    {
        using var scope = NewDisposeScope();
        var feat = _convblk.call(cat([spatial, context], 1));
        var atten = sigmoid(_conv2.call(nn.functional.relu(_conv1.call(feat.mean([2, 3], keepdim: true)))));
        return (feat * atten + feat).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string spatial, string context)
    {
        var feat = _convblk.EmitAs(g, "convblk", g.Concat(1, spatial, context));
        var atten = g.Relu(_conv1.EmitAs(g, "conv1", g.GlobalAveragePool(feat)));
        atten = g.Sigmoid(_conv2.EmitAs(g, "conv2", atten));
        return g.Add(g.Mul(feat, atten), feat);
    }
}
