using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Runtime.IO;

namespace Host.Tools.Training;

/// <summary>
/// The JSON beside a checkpoint's weights (<c>epoch-NNN.weights</c>, TorchSharp state dict incl. BatchNorm buffers)
/// and optimizer state (<c>epoch-NNN.optim</c>, Adam step count and moments): what resume restores.
/// </summary>
public sealed record CheckpointInfo
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string Architecture { get; init; }

    public required int NumClasses { get; init; }

    public required IReadOnlyList<string> Classes { get; init; }

    public required int Epoch { get; init; }

    public required long Step { get; init; }

    public required int TotalEpochs { get; init; }

    public required string Weights { get; init; }

    public required string OptimizerState { get; init; }

    public required int BestEpoch { get; init; }

    public required double BestScore { get; init; }

    public required string BestMetric { get; init; }

    public required IReadOnlyList<EpochRecord> History { get; init; }

    public required DateTimeOffset Created { get; init; }

    public static CheckpointInfo Load(string path)
    {
        if (Directory.Exists(path))
        {
            path = Directory.GetFiles(path, "epoch-*.json").Order(StringComparer.Ordinal).LastOrDefault()
                ?? throw new FileNotFoundException($"--resume: no epoch-NNN.json checkpoint in '{path}'.", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--resume: checkpoint '{path}' not found.", path);
        }

        try
        {
            var info = JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllBytes(path), JsonOptions)
                ?? throw new InvalidDataException($"Checkpoint '{path}': expected a JSON object, got null.");
            return info with { Weights = Resolve(path, info.Weights), OptimizerState = Resolve(path, info.OptimizerState) };
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Checkpoint '{path}': invalid JSON at {ex.Path ?? "$"}: {ex.Message}", ex);
        }
    }

    public void Save(string path)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this with { Weights = Path.GetFileName(Weights), OptimizerState = Path.GetFileName(OptimizerState) }, JsonOptions);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static string Resolve(string jsonPath, string file) =>
        Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!, file);
}
