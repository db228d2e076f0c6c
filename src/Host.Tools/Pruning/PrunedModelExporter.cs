using Host.Tools.Export;
using Host.Tools.Models;

namespace Host.Tools.Pruning;

/// <summary>Exports a pruned (not fine-tuned) network to ONNX with its pruning recorded in the model metadata.</summary>
public static class PrunedModelExporter
{
    /// <summary>Writes <paramref name="outPath"/> atomically; returns the number of graph nodes.</summary>
    /// <param name="pruning">How it was pruned, e.g. <c>l2 ratio 0.3</c> or <c>zero-filters</c> (<c>edgeseg.pruning</c>).</param>
    public static int Export(SegmentationNetwork pruned, string name, string pruning, int height, int width, InputNormalization? normalization, string outPath)
    {
        ArgumentNullException.ThrowIfNull(pruned);
        var onnx = OnnxExporter.Build(pruned, height, width, metadata: new Dictionary<string, string>
        {
            ["edgeseg.name"] = name,
            ["edgeseg.architecture"] = pruned.Architecture,
            ["edgeseg.pruning"] = pruning,
        }, normalization: normalization);
        OnnxExporter.Save(onnx, outPath);
        return onnx.Graph.Node.Count;
    }
}
