using Host.Tools.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models;

/// <summary>
/// A segmentation network: image [N,3,H,W] in [0,1] -> logits [N,C,H,W]. Its state-dict names are those of the
/// PyTorch checkpoints it loads; it emits itself as ONNX (input <c>image</c>, output <c>logits</c>).
/// </summary>
public abstract class SegmentationNetwork : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    protected SegmentationNetwork(string name, int numClasses)
        : base(name)
    {
        if (numClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "expected at least one class");
        }

        NumClasses = numClasses;
    }

    /// <summary>Architecture identifier written into model cards (e.g. <c>enet-seed</c>).</summary>
    public abstract string Architecture { get; }

    public int NumClasses { get; }

    /// <summary>Input height and width must be multiples of this (down-sampling factor).</summary>
    public virtual int SizeMultiple => 8;

    public abstract string Emit(OnnxGraphBuilder g, string input);

    /// <summary>Number of parameters (buffers excluded).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
