using System.Text.Json.Serialization;

namespace Host.Tools.Compression;

/// <summary>One model of the compression benchmark plan.</summary>
public sealed record CompressionBenchEntry
{
    /// <summary>Row label (unique).</summary>
    public required string Name { get; init; }

    /// <summary>ONNX model path (relative to the plan's working directory).</summary>
    public required string Model { get; init; }

    /// <summary>Folder of its <c>edgeseg-tools evaluate</c> report (<c>results.json</c>); optional.</summary>
    public string? Eval { get; init; }

    /// <summary>Name of the entry this one is compared with (speed-up, AuPRC change); null for a baseline.</summary>
    public string? Baseline { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<CompressionKind>))]
    public CompressionKind Kind { get; init; } = CompressionKind.Float;

    /// <summary>Row of the paper's Table 4 (AuPRC / FPR95) to print beside it, e.g. "ERFNet (quantized)".</summary>
    public string? Paper { get; init; }

    /// <summary>A note printed under the table (how the model was made).</summary>
    public string? Note { get; init; }
}
