using System.Text.Json.Serialization;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// Latency summary in milliseconds. Percentiles use linear interpolation between closest ranks
/// (NumPy's default "linear" method): rank = p / 100 · (n − 1).
/// </summary>
public sealed record LatencyStatistics
{
    public required int Count { get; init; }

    [JsonPropertyName("mean_ms")]
    public required double MeanMs { get; init; }

    [JsonPropertyName("min_ms")]
    public required double MinMs { get; init; }

    [JsonPropertyName("max_ms")]
    public required double MaxMs { get; init; }

    [JsonPropertyName("p50_ms")]
    public required double P50Ms { get; init; }

    [JsonPropertyName("p95_ms")]
    public required double P95Ms { get; init; }

    [JsonPropertyName("p99_ms")]
    public required double P99Ms { get; init; }

    /// <summary>Frames per second from the mean latency: 1000 / mean_ms.</summary>
    public double Fps => MeanMs > 0 ? 1000.0 / MeanMs : double.PositiveInfinity;

    public static LatencyStatistics FromSamples(ReadOnlySpan<double> samplesMs)
    {
        if (samplesMs.IsEmpty)
        {
            throw new ArgumentException("Latency samples: expected at least 1, got 0.", nameof(samplesMs));
        }

        var sorted = samplesMs.ToArray();
        Array.Sort(sorted);
        var sum = 0.0;
        foreach (var s in sorted)
        {
            sum += s;
        }

        return new LatencyStatistics
        {
            Count = sorted.Length,
            MeanMs = sum / sorted.Length,
            MinMs = sorted[0],
            MaxMs = sorted[^1],
            P50Ms = Percentile(sorted, 50),
            P95Ms = Percentile(sorted, 95),
            P99Ms = Percentile(sorted, 99),
        };
    }

    /// <summary>Linear-interpolated percentile of ascending <paramref name="sorted"/> values, <paramref name="percent"/> in [0, 100].</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("Percentile of an empty sample: expected at least 1 value, got 0.", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = percent / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
