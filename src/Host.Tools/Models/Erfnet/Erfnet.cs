using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>
/// ERFNet (Romera et al.) with the checkpoint names <c>encoder.initial_block</c>, <c>encoder.layers.N</c>,
/// <c>decoder.layers.N</c>, <c>decoder.output_conv</c>. <c>foldedBatchNorm</c> builds the variant whose
/// non_bottleneck_1d BatchNorms are folded into their convolutions (PyTorch FX-quantized checkpoints).
/// </summary>
public sealed class Erfnet : SegmentationNetwork
{
    private readonly ErfnetEncoder encoder;
    private readonly ErfnetDecoder decoder;

    /// <param name="widths">Inner widths per non_bottleneck_1d (<c>encoder.layers.N</c>, <c>decoder.layers.N</c>;
    /// structured pruning); null = the standard ERFNet.</param>
    public Erfnet(int numClasses = 20, bool foldedBatchNorm = false, BlockWidths? widths = null)
        : base(nameof(Erfnet), numClasses)
    {
        FoldedBatchNorm = foldedBatchNorm;
        encoder = new ErfnetEncoder(foldedBatchNorm, widths);
        decoder = new ErfnetDecoder(numClasses, foldedBatchNorm, widths);

        RegisterComponents();
    }

    public bool FoldedBatchNorm { get; }

    public override string Architecture => FoldedBatchNorm ? "erfnet-bnfolded" : "erfnet";

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return decoder.call(encoder.call(input)).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input) =>
        decoder.EmitAs(g, "decoder", encoder.EmitAs(g, "encoder", input));
}
