using Host.Tools.Evaluation.Components;

namespace Host.Tools.Evaluation;

/// <summary>One (dataset, method, temperature) row; metrics in percent, null where undefined.</summary>
public sealed record AnomalyResult
{
    public required string Dataset { get; init; }

    public required string Method { get; init; }

    public required double Temperature { get; init; }

    public double? Auprc { get; init; }

    public double? Fpr95 { get; init; }

    public double? Auroc { get; init; }

    public required int Images { get; init; }

    public required int Skipped { get; init; }

    /// <summary>Counted pixels (anomaly + normal; ignored pixels excluded).</summary>
    public required long Pixels { get; init; }

    public required long AnomalyPixels { get; init; }

    public required int DistinctScores { get; init; }

    /// <summary>SegmentMeIfYouCan component metrics (null: not computed, or no image evaluated).</summary>
    public ComponentResult? Component { get; init; }
}
