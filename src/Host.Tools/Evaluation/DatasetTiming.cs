namespace Host.Tools.Evaluation;

/// <summary>Timing of one dataset: wall time, per-image time and its parts, metric memory.</summary>
public sealed record DatasetTiming
{
    public required string Dataset { get; init; }

    public required int Images { get; init; }

    public required int Skipped { get; init; }

    public required double WallSeconds { get; init; }

    /// <summary>Wall time / images seen (evaluated + skipped).</summary>
    public required double SecondsPerImage { get; init; }

    public required double InferenceSeconds { get; init; }

    public required double ScoringSeconds { get; init; }

    public required double MetricsSeconds { get; init; }

    /// <summary>Component metrics, summed over scores (connected components, counting; replays of spilled maps included).</summary>
    public double ComponentSeconds { get; init; }

    /// <summary>Bytes of the exact score histograms of all methods at the end of the dataset.</summary>
    public required long HistogramBytes { get; init; }

    public required long PeakWorkingSetBytes { get; init; }
}
