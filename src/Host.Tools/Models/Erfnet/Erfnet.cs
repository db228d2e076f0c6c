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
    private readonly ErfnetEncoder _encoder;
    private readonly ErfnetDecoder _decoder;

    public Erfnet(int numClasses = 20, bool foldedBatchNorm = false)
        : base(nameof(Erfnet), numClasses)
    {
        FoldedBatchNorm = foldedBatchNorm;
        _encoder = new ErfnetEncoder(foldedBatchNorm);
        _decoder = new ErfnetDecoder(numClasses, foldedBatchNorm);
        register_module("encoder", _encoder);
        register_module("decoder", _decoder);
    }

    public bool FoldedBatchNorm { get; }

    public override string Architecture => FoldedBatchNorm ? "erfnet-bnfolded" : "erfnet";

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _decoder.call(_encoder.call(input)).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input) =>
        _decoder.EmitAs(g, "decoder", _encoder.EmitAs(g, "encoder", input));
}
