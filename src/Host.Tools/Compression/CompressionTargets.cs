namespace Host.Tools.Compression;

/// <summary>
/// The compression issue's targets on this machine: INT8 ≥ 2× faster than its float baseline with an AuPRC loss of at
/// most 0.5 points (VoidClass and MaxLogit, the four datasets); pruned ≥ 1.4× faster. Speed-up is the median over
/// the interleaved rounds of baseline p50 / model p50.
/// </summary>
public static class CompressionTargets
{
    public const double Int8SpeedUp = 2.0;
    public const double PrunedSpeedUp = 1.4;
    public const double MaxAuprcLoss = 0.5;

    public static double? RequiredSpeedUp(CompressionKind kind) => kind switch
    {
        CompressionKind.Int8 => Int8SpeedUp,
        CompressionKind.Pruned => PrunedSpeedUp,
        _ => null,
    };

    /// <summary>Largest AuPRC loss (points, ≥ 0 when something got worse) over the compared cells; null without any.</summary>
    public static double? WorstLoss(CompressionRow row) =>
        row.AuprcChange is { Count: > 0 } c ? Math.Max(0, -c.Values.Min()) : null;

    public static bool? SpeedMet(CompressionRow row) =>
        RequiredSpeedUp(row.Entry.Kind) is { } need && row.SpeedUp is { } s ? s >= need : null;

    public static bool? AccuracyMet(CompressionRow row) =>
        row.Entry.Kind == CompressionKind.Int8 && WorstLoss(row) is { } loss ? loss <= MaxAuprcLoss : null;
}
