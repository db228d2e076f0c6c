using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Runtime.Benchmarking;

/// <summary>The <c>edgeseg bench --json</c> document (snake_case).</summary>
public sealed record BenchReport
{
    public const string FpsBasisMean = "1000/mean_ms";
    public const string PercentileMethodLinear = "linear interpolation between closest ranks, rank = p/100*(n-1)";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public required string Model { get; init; }

    public required string Provider { get; init; }

    public required IReadOnlyList<int> Input { get; init; }

    public required IReadOnlyList<int> Output { get; init; }

    /// <summary>"pattern" or the image file that was preprocessed into the input.</summary>
    public required string InputSource { get; init; }

    public required int Iterations { get; init; }

    public required int Warmup { get; init; }

    [JsonPropertyName("p50_ms")]
    public required double P50Ms { get; init; }

    [JsonPropertyName("p95_ms")]
    public required double P95Ms { get; init; }

    [JsonPropertyName("p99_ms")]
    public required double P99Ms { get; init; }

    public required double MeanMs { get; init; }

    public required double MinMs { get; init; }

    public required double MaxMs { get; init; }

    public required double Fps { get; init; }

    public string FpsBasis { get; init; } = FpsBasisMean;

    public string PercentileMethod { get; init; } = PercentileMethodLinear;

    public required int Threads { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
}
