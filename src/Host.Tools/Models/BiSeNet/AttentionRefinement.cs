using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>BiSeNet attention refinement module: ConvBNReLU 3x3, then x * sigmoid(BN(conv1x1(global average))).</summary>
public sealed class AttentionRefinement : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly ConvBnRelu conv;
    private readonly Conv2dLayer conv_atten;
    private readonly BatchNorm2dLayer bn_atten;

    public AttentionRefinement(long inChannels, long outChannels)
        : base(nameof(AttentionRefinement))
    {
        conv = new ConvBnRelu(inChannels, outChannels, 3);
        conv_atten = new Conv2dLayer(outChannels, outChannels, 1, bias: false);
        bn_atten = new BatchNorm2dLayer(outChannels);

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var feat = conv.call(input);
        var atten = sigmoid(bn_atten.call(conv_atten.call(feat.mean([2, 3], keepdim: true))));
        return (feat * atten).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var feat = conv.EmitAs(g, "conv", input);
        var atten = g.Sigmoid(bn_atten.EmitAs(g, "bn_atten", conv_atten.EmitAs(g, "conv_atten", g.GlobalAveragePool(feat))));
        return g.Mul(feat, atten);
    }
}
