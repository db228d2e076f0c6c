using Edge.Runtime.IO;
using Edge.Runtime.Models;
using Google.Protobuf;
using Host.Tools.Optimization;
using Microsoft.Extensions.Logging;
using Onnx;

namespace Host.Tools.Export.Heads;

/// <summary>
/// Writes <c>&lt;stem&gt;-heads.onnx</c> beside a plain model (output <c>logits</c>) and its card: the same network with
/// the card's scorer and the road mask appended (<see cref="ModelHeadsAppender"/>), card field <c>heads</c> filled in,
/// and its strided ConvTransposes rewritten as Conv + DepthToSpace (<see cref="GraphOptimizer"/>).
/// Used by <c>build-models</c>, <c>export --heads</c> and <c>quantize --heads</c>.
/// </summary>
public sealed class ModelHeadsWriter
{
    public const string Suffix = "-heads";

    private readonly ILogger _logger;

    public ModelHeadsWriter(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>The heads the card asks for: the scorer and temperature of its <c>operating_point</c> when it has one
    /// (the alert-quality choice the runtime uses by default), else its <c>default_score</c> and <c>temperature</c> (1 when
    /// null; MaxLogit and SML have none); road class 0 (Cityscapes trainId road).</summary>
    public static ModelHeads DefaultFor(ModelCard card, bool labels = false)
    {
        ArgumentNullException.ThrowIfNull(card);
        var (scorer, temperature) = card.OperatingPoint is { } op
            ? (Enum.TryParse<ScoreKind>(op.Scorer, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
                ? kind
                : throw new ArgumentException($"heads: model card '{card.Name}' operating_point.scorer '{op.Scorer}' has no score head; expected one of {string.Join(", ", Enum.GetNames<ScoreKind>())}."),
                op.Temperature)
            : (card.DefaultScore, card.Temperature);
        return new ModelHeads
        {
            Scorer = scorer,
            Temperature = scorer is ScoreKind.MaxLogit or ScoreKind.Sml ? 1.0 : temperature ?? 1.0,
            RoadClass = 0,
            Outputs = labels ? [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] : [ModelHeads.ScoreOutput, ModelHeads.RoadOutput],
        };
    }

    public static string PathFor(string plainOnnxPath) =>
        Path.Combine(Path.GetDirectoryName(plainOnnxPath) ?? string.Empty, Path.GetFileNameWithoutExtension(plainOnnxPath) + Suffix + ".onnx");

    /// <summary>Appends <paramref name="heads"/> (null: <see cref="DefaultFor"/> the plain model's card) to
    /// <paramref name="plainOnnxPath"/> and writes the result to <paramref name="outputPath"/> (default
    /// <see cref="PathFor"/>) with its card; returns the written path. The plain model's card must exist.</summary>
    public string Write(string plainOnnxPath, ModelHeads? heads = null, string? outputPath = null, bool labels = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plainOnnxPath);
        if (!File.Exists(plainOnnxPath))
        {
            throw new FileNotFoundException($"heads: model file not found: '{plainOnnxPath}'.", plainOnnxPath);
        }

        var cardPath = ModelCard.PathFor(plainOnnxPath);
        if (!File.Exists(cardPath))
        {
            throw new FileNotFoundException($"heads: model card '{cardPath}' not found: the heads take the scorer, void index and classes from it.", cardPath);
        }

        var card = ModelCard.Load(cardPath);
        if (card.Heads is not null)
        {
            throw new ArgumentException($"heads: '{plainOnnxPath}' already has heads ({ModelHeadsAppender.Describe(card.Heads)}); expected a plain model.");
        }

        heads ??= DefaultFor(card, labels);
        ModelProto plain;
        try
        {
            plain = ModelProto.Parser.ParseFrom(File.ReadAllBytes(plainOnnxPath));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"heads: '{plainOnnxPath}' is not an ONNX model: {ex.Message}", ex);
        }

        // The runtime's model: strided ConvTranspose → Conv + DepthToSpace (exact, float rounding aside; TensorRT-safe). ONNX
        // Runtime's CPU ConvTranspose materialises a [Cout·k·k, H·W] column buffer (~94 MB for ENet's last layer at
        // 512x1024); the Conv does not, so the runtime peaks ~50 MB lower at the same speed (docs/benchmarks.md).
        var rewrites = GraphOptimizer.Apply(plain, foldBatchNorm: false, convTranspose: _ => true);
        var model = ModelHeadsAppender.Append(plain, heads, card.VoidIndex, card.Sml);
        var path = outputPath ?? PathFor(plainOnnxPath);
        var name = Path.GetFileNameWithoutExtension(path);
        var bytes = model.ToByteArray();
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            _logger.LogInformation("unchanged {Path} (heads {Heads})", path, ModelHeadsAppender.Describe(heads));
        }
        else
        {
            AtomicFile.Write(path, s => s.Write(bytes));
            _logger.LogInformation("wrote {Path} (heads {Heads}, {Nodes} nodes; rewrites {Rewrites})", path, ModelHeadsAppender.Describe(heads), model.Graph.Node.Count, string.Join(", ", rewrites.Select(r => $"{r.Key} {r.Value}")));
        }

        (card with { Name = name, Heads = heads, Created = DateTimeOffset.UtcNow }).Save(ModelCard.PathFor(path));
        return path;
    }
}
