using System.Security.Cryptography;
using Edge.Runtime.IO;
using Edge.Runtime.Models;
using Google.Protobuf;
using Host.Tools.Export;
using Host.Tools.Export.Heads;
using Host.Tools.Import;
using Host.Tools.Models;
using Host.Tools.Models.Enet;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Building;

/// <summary>Imports a checkpoint, exports it to ONNX and writes its model card beside it.</summary>
public sealed class ModelBuilder
{
    private readonly ILogger _logger;

    public ModelBuilder(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>Builds every model of the manifest; returns the written ONNX paths.</summary>
    public IReadOnlyList<string> BuildAll(ModelManifest manifest, string weightsDirectory, string outputDirectory,
        IReadOnlyCollection<string>? only = null)
    {
        if (!Directory.Exists(weightsDirectory))
        {
            throw new DirectoryNotFoundException(
                $"Weights folder '{weightsDirectory}' does not exist (set EDGESEG_WEIGHTS or --weights; see docs/models.md).");
        }

        var written = new List<string>();
        var entries = manifest.Models.Where(m => only is null || only.Count == 0 || only.Contains(m.Name)).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            _logger.LogInformation("[{Index}/{Count}] {Name}: {Architecture} from {Checkpoint}", i + 1, entries.Count, entry.Name,
                entry.Architecture, entry.Checkpoint);
            written.AddRange(Build(entry, Path.Combine(weightsDirectory, entry.Checkpoint), outputDirectory, manifest.Input.Height,
                manifest.Input.Width));
        }

        return written;
    }

    /// <summary>Builds one model (and its TensorRT variant if asked); returns the written ONNX paths.</summary>
    public IReadOnlyList<string> Build(ManifestEntry entry, string checkpointPath, string outputDirectory, int height, int width)
    {
        var sha = Sha256(checkpointPath);
        using var network = NetworkImporter.Load(entry.Architecture, checkpointPath, entry.NumClasses);
        var written = new List<string> { Write(network, entry, entry.Name, UnpoolMode.MaxUnpool, checkpointPath, sha, outputDirectory, height, width) };
        if (entry.TensorrtVariant)
        {
            written.Add(Write(network, entry, entry.Name + "-trt", UnpoolMode.TensorRt, checkpointPath, sha, outputDirectory, height, width));
        }

        if (entry.Heads)
        {
            var heads = new ModelHeadsWriter(_logger);
            written.AddRange([.. written.Select(plain => heads.Write(plain, labels: true))]);
        }

        return written;
    }

    /// <summary>Exports one network (from a checkpoint, or randomly initialised when <paramref name="checkpointPath"/>
    /// is null) to <paramref name="onnxPath"/> with its model card.</summary>
    public string BuildSingle(ManifestEntry entry, string? checkpointPath, string onnxPath, int height, int width, UnpoolMode mode)
    {
        using var network = checkpointPath is null
            ? NetworkFactory.Create(entry.Architecture, entry.NumClasses)
            : NetworkImporter.Load(entry.Architecture, checkpointPath, entry.NumClasses);
        network.eval();
        var sha = checkpointPath is null ? string.Empty : Sha256(checkpointPath);
        var name = Path.GetFileNameWithoutExtension(onnxPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(onnxPath))!;
        return Write(network, entry, name, mode, checkpointPath is null ? "(random initialisation)" : Path.GetFullPath(checkpointPath),
            sha, dir, height, width);
    }

    public static ModelCard CreateCard(SegmentationNetwork network, string name, ScoreKind defaultScore, string checkpointPath,
        string sha256, int height, int width)
    {
        var classes = network.NumClasses == CityscapesClasses.WithVoid.Count ? CityscapesClasses.WithVoid
            : network.NumClasses == CityscapesClasses.TrainIds.Count ? CityscapesClasses.TrainIds
            : Enumerable.Range(0, network.NumClasses).Select(i => $"class{i}").ToList();
        return new ModelCard
        {
            Name = name,
            Architecture = network.Architecture,
            Classes = classes,
            VoidIndex = network.NumClasses == CityscapesClasses.WithVoid.Count ? CityscapesClasses.VoidIndex : null,
            Input = new ModelInputSpec { Height = height, Width = width },
            DefaultScore = defaultScore,
            Source = new ModelSource { Checkpoint = checkpointPath, Sha256 = sha256 },
            Parameters = network.ParameterCount(),
            Created = DateTimeOffset.UtcNow,
        };
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private string Write(SegmentationNetwork network, ManifestEntry entry, string name, UnpoolMode mode, string checkpointPath,
        string sha, string outputDirectory, int height, int width)
    {
        var onnxPath = Path.Combine(outputDirectory, name + ".onnx");
        var card = CreateCard(network, name, entry.DefaultScore, Path.GetFullPath(checkpointPath), sha, height, width);
        var model = OnnxExporter.Build(network, height, width, mode, new Dictionary<string, string>
        {
            ["edgeseg.name"] = name,
            ["edgeseg.architecture"] = network.Architecture,
            ["edgeseg.source_sha256"] = sha,
        }, entry.InputNormalization);
        // An unchanged graph is not rewritten, so its file time tells later steps (make bench-compression) whether the
        // models derived from it are stale.
        var bytes = model.ToByteArray();
        if (File.Exists(onnxPath) && File.ReadAllBytes(onnxPath).AsSpan().SequenceEqual(bytes))
        {
            _logger.LogInformation("unchanged {Path} ({Nodes} nodes, {Parameters} parameters)", onnxPath, model.Graph.Node.Count, card.Parameters);
        }
        else
        {
            AtomicFile.Write(onnxPath, s => s.Write(bytes));
            _logger.LogInformation("wrote {Path} ({Nodes} nodes, {Parameters} parameters)", onnxPath, model.Graph.Node.Count, card.Parameters);
        }

        card.Save(ModelCard.PathFor(onnxPath));
        return onnxPath;
    }
}
