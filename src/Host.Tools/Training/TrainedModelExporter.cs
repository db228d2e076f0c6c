using Edge.Runtime.Models;
using Host.Tools.Building;
using Host.Tools.Export;
using Host.Tools.Models;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Training;

/// <summary>
/// Exports trained weights (a TorchSharp state dict) to ONNX with its model card (as <see cref="ModelBuilder"/>) and, when
/// asked, to a PyTorch <c>.pth</c> (<see cref="PyTorchStateDictWriter"/>).
/// </summary>
public static class TrainedModelExporter
{
    public static ModelCard Export(SegmentationNetwork network, string weightsPath, IReadOnlyList<string> classes, ScoreKind defaultScore,
        string onnxPath, int height, int width, ILogger logger, InputNormalization? normalization = null, string? pthPath = null)
    {
        network.load(weightsPath);
        network.eval();
        var name = Path.GetFileNameWithoutExtension(onnxPath);
        var sha = ModelBuilder.Sha256(weightsPath);
        var card = ModelBuilder.CreateCard(network, name, defaultScore, Path.GetFullPath(weightsPath), sha, height, width);
        if (classes.Count == network.NumClasses)
        {
            card = card with { Classes = classes };
        }

        var model = OnnxExporter.Build(network, height, width, metadata: new Dictionary<string, string>
        {
            ["edgeseg.name"] = name,
            ["edgeseg.architecture"] = network.Architecture,
            ["edgeseg.source_sha256"] = sha,
        }, normalization: normalization);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(onnxPath))!);
        OnnxExporter.Save(model, onnxPath);
        card.Save(ModelCard.PathFor(onnxPath));
        logger.LogInformation("exported {Onnx} with its model card ({Parameters} parameters)", onnxPath, card.Parameters);
        if (pthPath is not null)
        {
            PyTorchStateDictWriter.Write(network, pthPath);
            logger.LogInformation("wrote the PyTorch state dict {Pth}", pthPath);
        }
        return card;
    }
}
