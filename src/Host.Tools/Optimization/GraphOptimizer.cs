using Onnx;

namespace Host.Tools.Optimization;

/// <summary>
/// The exact rewrites EdgeSeg applies before ONNX Runtime sees a model (<c>edgeseg-tools optimize</c>, and the
/// quantizer before it calibrates): scalar PRelu → LeakyRelu, BatchNorm folding, strided ConvTranspose → Conv +
/// DepthToSpace, activations moved in front of DepthToSpace. The function of the graph is unchanged (float rounding
/// aside); names of inputs and outputs are kept.
/// </summary>
public static class GraphOptimizer
{
    public const string MetadataKey = "edgeseg.graph_rewrites";

    /// <param name="foldBatchNorm">Fold BatchNormalization into the preceding convolution.</param>
    /// <param name="convTranspose">Which ConvTransposes become Conv + DepthToSpace; null: none. In float on ORT CPU this
    /// is not faster (its DepthToSpace costs what the ConvTranspose did) but needs no column buffer (~50 MB less peak
    /// memory for ENet at 512x1024, why <c>ModelHeadsWriter</c> applies it); in int8 it turns them into QLinearConv.</param>
    public static IReadOnlyList<IGraphRewrite> Rewrites(bool foldBatchNorm, Func<NodeProto, bool>? convTranspose) =>
    [
        new ScalarPReluToLeakyRelu(),
        .. foldBatchNorm ? new IGraphRewrite[] { new FoldBatchNormRewrite() } : [],
        .. convTranspose is not null ? new IGraphRewrite[] { new ConvTransposeToDepthToSpace(convTranspose), new ActivationBeforeDepthToSpace() } : [],
    ];

    /// <summary>Applies the rewrites in order and records them in the model's metadata; returns the count of each.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> Apply(ModelProto model, bool foldBatchNorm = true, Func<NodeProto, bool>? convTranspose = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var counts = Rewrites(foldBatchNorm, convTranspose).Select(r => new KeyValuePair<string, int>(r.Name, r.Apply(model.Graph))).ToList();
        var existing = model.MetadataProps.FirstOrDefault(p => p.Key == MetadataKey);
        if (existing is not null)
        {
            model.MetadataProps.Remove(existing);
        }

        model.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = string.Join("; ", counts.Select(c => $"{c.Key}={c.Value}")) });
        return counts;
    }
}
