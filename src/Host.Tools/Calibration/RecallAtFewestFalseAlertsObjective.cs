namespace Host.Tools.Calibration;

/// <summary>
/// <c>recall-at-fewest-false-alerts</c>: among candidates finding at least <see cref="MinRecall"/> of the objects on
/// every set, the fewest false alerts per frame (averaged over the sets); when none does, the highest recall.
/// </summary>
public sealed class RecallAtFewestFalseAlertsObjective : IHazardObjective
{
    public RecallAtFewestFalseAlertsObjective(double minRecall)
    {
        if (!(minRecall > 0 && minRecall <= 1))
        {
            throw new ArgumentException($"--min-recall: expected 0 < value <= 1, got {minRecall}.", nameof(minRecall));
        }

        MinRecall = minRecall;
    }

    public double MinRecall { get; }

    public string Name => "recall-at-fewest-false-alerts";

    /// <summary>Minus the false alerts per frame when eligible, else null.</summary>
    public double? Value(IReadOnlyList<CandidateFigures> perSet)
    {
        ArgumentNullException.ThrowIfNull(perSet);
        return perSet.Count > 0 && perSet.All(f => f.Recall >= MinRecall) ? -perSet.Average(f => f.FalseAlertsPerFrame) : null;
    }

    public bool Better(IReadOnlyList<CandidateFigures> a, IReadOnlyList<CandidateFigures> b)
    {
        var va = Value(a);
        var vb = Value(b);
        if (va is not null || vb is not null)
        {
            return va is not null && (vb is null || va > vb + 1e-12 || (Math.Abs(va.Value - vb.Value) <= 1e-12 && Recall(a) > Recall(b)));
        }

        return Recall(a) > Recall(b) || (Recall(a) == Recall(b) && a.Average(f => f.FalseAlertsPerFrame) < b.Average(f => f.FalseAlertsPerFrame));
    }

    private static double Recall(IReadOnlyList<CandidateFigures> s) => s.Average(f => f.Recall);
}
