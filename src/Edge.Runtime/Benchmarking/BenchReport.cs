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
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public required string Model { get; init; }

    public required string Provider { get; init; }

    public required IReadOnlyList<int> Input { get; init; }

    public required IReadOnlyList<int> Output { get; init; }

    /// <summary>"pattern" or the image file that was preprocessed into the input.</summary>
    public required string InputSource { get; init; }

    /// <summary>Precision asked for with <c>--precision</c>.</summary>
    public required InferencePrecision Precision { get; init; }

    /// <summary>Precision the provider really in use runs (e.g. fp32 when TensorRT fell back to CPU).</summary>
    public required InferencePrecision PrecisionEffective { get; init; }

    /// <summary>QuantizeLinear nodes in the model's main graph (> 0: a QDQ int8 model).</summary>
    public required int QdqNodes { get; init; }

    /// <summary>TensorRT engine cache folder (null: none).</summary>
    public string? EngineCache { get; init; }

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

    /// <summary>ONNX Runtime's intra-op threads spin between parallel sections (<c>model.allow_spinning</c> of the
    /// runtime settings the bench ran with).</summary>
    public bool OrtSpinning { get; init; }

    /// <summary>Frames per second of the whole per-frame work (preprocess + inference + score): 1000 / breakdown.total.mean_ms.</summary>
    public required double EndToEndFps { get; init; }

    /// <summary>Per-stage latencies; the top-level p50/p95/p99/mean/min/max/fps are the inference stage's.</summary>
    public required BenchBreakdown Breakdown { get; init; }

    /// <summary>Peak resident set size of the bench process, MB (1 MB = 1024² bytes).</summary>
    public required double PeakRssMb { get; init; }

    /// <summary>Where <see cref="PeakRssMb"/> was read (<see cref="PeakMemory.SourceVmHwm"/> on Linux).</summary>
    public required string PeakRssSource { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
}
