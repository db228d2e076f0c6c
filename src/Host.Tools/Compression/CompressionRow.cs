namespace Host.Tools.Compression;

/// <summary>Measured cost and accuracy of one model of the compression benchmark.</summary>
public sealed record CompressionRow
{
    public required CompressionBenchEntry Entry { get; init; }

    public required long Parameters { get; init; }

    /// <summary>2 × MACs of Conv / ConvTranspose / MatMul / Gemm, dense (the papers' "GFLOPs").</summary>
    public required double Gflops { get; init; }

    public required double SizeMegabytes { get; init; }

    /// <summary>ORT CPU p50 latency of each interleaved round, milliseconds.</summary>
    public required IReadOnlyList<double> P50PerRound { get; init; }

    public double MedianP50 => Median(P50PerRound);

    /// <summary>Fastest single run of each round, milliseconds (noise from other tenants only ever adds time).</summary>
    public IReadOnlyList<double> MinPerRound { get; init; } = [];

    public double? BestMs => MinPerRound.Count > 0 ? MinPerRound.Min() : null;

    /// <summary>Baseline's fastest run / this model's fastest run (null for a baseline).</summary>
    public double? BestSpeedUp { get; init; }

    /// <summary>Per round: baseline p50 / this p50 (null for a baseline).</summary>
    public IReadOnlyList<double>? SpeedUpPerRound { get; init; }

    public double? SpeedUp => SpeedUpPerRound is { Count: > 0 } s ? Median(s) : null;

    /// <summary>AuPRC / FPR95 in % by (dataset, method), from the entry's evaluation report; empty without one.</summary>
    public required IReadOnlyDictionary<string, AccuracyCell> Accuracy { get; init; }

    /// <summary>AuPRC change in points vs the baseline by (dataset, method) (null for a baseline or without reports).</summary>
    public IReadOnlyDictionary<string, double>? AuprcChange { get; init; }

    public static string Key(string dataset, string method) => dataset + "/" + method;

    internal static double Median(IReadOnlyList<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length == 0 ? double.NaN : s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }
}
