namespace Host.Tools.Metrics;

/// <summary>Pooled anomaly metrics as fractions (0..1); NaN where undefined (see <see cref="AnomalyMetrics"/>).</summary>
public sealed record AnomalyMetricsResult
{
    public required double AuPrc { get; init; }

    public required double Fpr95 { get; init; }

    public required double Auroc { get; init; }

    public required long Positives { get; init; }

    public required long Negatives { get; init; }

    public required int DistinctScores { get; init; }
}
