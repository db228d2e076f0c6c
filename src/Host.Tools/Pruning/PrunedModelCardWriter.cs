using Edge.Runtime.Models;
using Host.Tools.Building;
using Host.Tools.Models;

namespace Host.Tools.Pruning;

/// <summary>Writes the model card beside a pruned network's ONNX file (provenance: the source checkpoint and its SHA-256).</summary>
public static class PrunedModelCardWriter
{
    public static ModelCard Write(SegmentationNetwork pruned, string name, ScoreKind defaultScore, string checkpointPath, int height, int width, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(pruned);
        var card = ModelBuilder.CreateCard(pruned, name, defaultScore, Path.GetFullPath(checkpointPath), ModelBuilder.Sha256(checkpointPath), height, width);
        card.Save(ModelCard.PathFor(onnxPath));
        return card;
    }
}
