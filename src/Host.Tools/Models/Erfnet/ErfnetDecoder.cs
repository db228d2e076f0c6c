using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>ERFNet decoder: Up(128,64), 2 x nb1d(64), Up(64,16), 2 x nb1d(16), ConvTranspose2x2/2 (16 -> classes).</summary>
public sealed class ErfnetDecoder : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly SequentialLayer layers;
    private readonly ConvTranspose2dLayer output_conv;

    public ErfnetDecoder(int numClasses, bool foldedBatchNorm, BlockWidths? widths = null)
        : base(nameof(ErfnetDecoder))
    {
        layers = new SequentialLayer(
            new ErfnetUpsampler(128, 64),
            new ErfnetNonBottleneck1d(64, 0, 1, foldedBatchNorm, widths?.For("decoder.layers.1")),
            new ErfnetNonBottleneck1d(64, 0, 1, foldedBatchNorm, widths?.For("decoder.layers.2")),
            new ErfnetUpsampler(64, 16),
            new ErfnetNonBottleneck1d(16, 0, 1, foldedBatchNorm, widths?.For("decoder.layers.4")),
            new ErfnetNonBottleneck1d(16, 0, 1, foldedBatchNorm, widths?.For("decoder.layers.5")));
        output_conv = new ConvTranspose2dLayer(16, numClasses, 2, stride: 2, bias: true);

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return output_conv.call(layers.call(input)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input) =>
        output_conv.EmitAs(g, "output_conv", layers.EmitAs(g, "layers", input));
}
