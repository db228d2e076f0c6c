using Host.Tools.Quantization;
using Onnx;

namespace Host.Tools.Optimization;

/// <summary>BatchNormalization after a Conv / ungrouped ConvTranspose folded into its weights (<see cref="BatchNormFolder"/>).</summary>
public sealed class FoldBatchNormRewrite : IGraphRewrite
{
    public string Name => "fold-batchnorm";

    public int Apply(GraphProto graph) => BatchNormFolder.Fold(graph);
}
