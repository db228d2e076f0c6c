namespace Host.Tools.Calibration;

/// <summary><c>component-f1</c>: the highest SegmentMeIfYouCan mean F1 averaged over the sets; ties to fewer false alerts.</summary>
public sealed class ComponentF1Objective : IHazardObjective
{
    public string Name => "component-f1";

    public double? Value(IReadOnlyList<CandidateFigures> perSet)
    {
        ArgumentNullException.ThrowIfNull(perSet);
        return perSet.Count == 0 ? null : perSet.Average(f => f.ComponentF1 ?? 0);
    }

    public bool Better(IReadOnlyList<CandidateFigures> a, IReadOnlyList<CandidateFigures> b)
    {
        var va = Value(a) ?? double.NegativeInfinity;
        var vb = Value(b) ?? double.NegativeInfinity;
        return va > vb + 1e-9 || (Math.Abs(va - vb) <= 1e-9 && a.Average(f => f.FalseAlertsPerFrame) < b.Average(f => f.FalseAlertsPerFrame));
    }
}
