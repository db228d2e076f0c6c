using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>BiSeNet feature fusion module: ConvBNReLU 1x1 of concat(spatial, context), then a squeeze-excite
/// attention; out = feat * atten + feat.</summary>
public sealed class FeatureFusion : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ConvBnRelu convblk;
    private readonly Conv2dLayer conv1;
    private readonly Conv2dLayer conv2;

    public FeatureFusion(long inChannels, long outChannels)
        : base(nameof(FeatureFusion))
    {
        convblk = new ConvBnRelu(inChannels, outChannels, 1, padding: 0);
        conv1 = new Conv2dLayer(outChannels, outChannels / 4, 1, bias: false);
        conv2 = new Conv2dLayer(outChannels / 4, outChannels, 1, bias: false);

        RegisterComponents();
    }

    public override Tensor forward(Tensor spatial, Tensor context)
    {
        using var scope = NewDisposeScope();
        var feat = convblk.call(cat([spatial, context], 1));
        var atten = sigmoid(conv2.call(nn.functional.relu(conv1.call(feat.mean([2, 3], keepdim: true)))));
        return (feat * atten + feat).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string spatial, string context)
    {
        var feat = convblk.EmitAs(g, "convblk", g.Concat(1, spatial, context));
        var atten = g.Relu(conv1.EmitAs(g, "conv1", g.GlobalAveragePool(feat)));
        atten = g.Sigmoid(conv2.EmitAs(g, "conv2", atten));
        return g.Add(g.Mul(feat, atten), feat);
    }
}
