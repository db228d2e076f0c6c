using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.MideNet;

/// <summary>MiDE-Net, the paper's ENet-distilled student (0.07 M parameters): initial block, two bottleneck stages,
/// bilinear x8 up-sampling (align_corners = false) of the 128-channel features, then a 1x1 classifier.</summary>
public sealed class MideNet : SegmentationNetwork
{
    private readonly MideNetInitial initial;
    private readonly SequentialLayer bottleneck1;
    private readonly SequentialLayer bottleneck2;
    private readonly Conv2dLayer classifier;

    /// <param name="widths">Inner widths per bottleneck (<c>bottleneck1.0</c> ... <c>bottleneck2.2</c>; structured
    /// pruning); null = the standard MiDE-Net.</param>
    /// <param name="foldedBatchNorm">The bottlenecks' BatchNorms folded into conv1..conv3 (PyTorch FX int8 checkpoints,
    /// architecture <c>midenet-bnfolded</c>); the initial block keeps its BatchNorm (it follows a concat).</param>
    public MideNet(int numClasses = 20, BlockWidths? widths = null, bool foldedBatchNorm = false)
        : base(nameof(MideNet), numClasses)
    {
        FoldedBatchNorm = foldedBatchNorm;
        initial = new MideNetInitial();
        bottleneck1 = new SequentialLayer(
            new MideNetBottleneck(16, 64, downsample: true, innerChannels: widths?.For("bottleneck1.0"), foldedBatchNorm: foldedBatchNorm),
            new MideNetBottleneck(64, 64, innerChannels: widths?.For("bottleneck1.1"), foldedBatchNorm: foldedBatchNorm),
            new MideNetBottleneck(64, 64, innerChannels: widths?.For("bottleneck1.2"), foldedBatchNorm: foldedBatchNorm));
        bottleneck2 = new SequentialLayer(
            new MideNetBottleneck(64, 128, downsample: true, innerChannels: widths?.For("bottleneck2.0"), foldedBatchNorm: foldedBatchNorm),
            new MideNetBottleneck(128, 128, dilation: 2, innerChannels: widths?.For("bottleneck2.1"), foldedBatchNorm: foldedBatchNorm),
            new MideNetBottleneck(128, 128, dilation: 4, innerChannels: widths?.For("bottleneck2.2"), foldedBatchNorm: foldedBatchNorm));
        classifier = new Conv2dLayer(128, numClasses, 1, bias: true);

        RegisterComponents();
    }

    public bool FoldedBatchNorm { get; }

    public override string Architecture => FoldedBatchNorm ? "midenet-bnfolded" : "midenet";

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = bottleneck2.call(bottleneck1.call(initial.call(input)));
        x = nn.functional.interpolate(x, size: [input.shape[2], input.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        return classifier.call(x).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input)
    {
        var (height, width) = g.InputSize;
        var x = initial.EmitAs(g, "initial", input);
        x = bottleneck1.EmitAs(g, "bottleneck1", x);
        x = bottleneck2.EmitAs(g, "bottleneck2", x);
        x = g.Resize(x, [1, 128, height, width], linear: true);
        return classifier.EmitAs(g, "classifier", x);
    }
}
