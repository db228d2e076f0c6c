using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>BiSeNet attention refinement module: ConvBNReLU 3x3, then x * sigmoid(BN(conv1x1(global average))).</summary>
public sealed class AttentionRefinement : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly ConvBnRelu _conv;
    private readonly Conv2dLayer _convAtten;
    private readonly BatchNorm2dLayer _bnAtten;

    public AttentionRefinement(long inChannels, long outChannels)
        : base(nameof(AttentionRefinement))
    {
        _conv = new ConvBnRelu(inChannels, outChannels, 3);
        _convAtten = new Conv2dLayer(outChannels, outChannels, 1, bias: false);
        _bnAtten = new BatchNorm2dLayer(outChannels);
        register_module("conv", _conv);
        register_module("conv_atten", _convAtten);
        register_module("bn_atten", _bnAtten);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var feat = _conv.call(input);
        var atten = sigmoid(_bnAtten.call(_convAtten.call(feat.mean([2, 3], keepdim: true))));
        return (feat * atten).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var feat = _conv.EmitAs(g, "conv", input);
        var atten = g.Sigmoid(_bnAtten.EmitAs(g, "bn_atten", _convAtten.EmitAs(g, "conv_atten", g.GlobalAveragePool(feat))));
        return g.Mul(feat, atten);
    }
}
