using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>ERFNet UpsamplerBlock: ConvTranspose3x3/2 (pad 1, output padding 1, bias) -> BN(eps 1e-3) -> ReLU.</summary>
public sealed class ErfnetUpsampler : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly ConvTranspose2dLayer conv;
    private readonly BatchNorm2dLayer bn;

    public ErfnetUpsampler(long inChannels, long outChannels)
        : base(nameof(ErfnetUpsampler))
    {
        conv = new ConvTranspose2dLayer(inChannels, outChannels, 3, stride: 2, padding: 1, outputPadding: 1, bias: true);
        bn = new BatchNorm2dLayer(outChannels, eps: 1e-3);

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.relu(bn.call(conv.call(input))).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input) =>
        g.Relu(bn.EmitAs(g, "bn", conv.EmitAs(g, "conv", input)));
}
