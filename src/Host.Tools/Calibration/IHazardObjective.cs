namespace Host.Tools.Calibration;

/// <summary>What an operating point is chosen for (<c>calibrate-threshold --objective</c>); one class per objective.</summary>
public interface IHazardObjective
{
    /// <summary>The name written into <c>operating_point.objective</c>.</summary>
    string Name { get; }

    /// <summary>The candidate's value on the sets (higher is better; null = not eligible).</summary>
    double? Value(IReadOnlyList<CandidateFigures> perSet);

    /// <summary>Whether <paramref name="a"/> beats <paramref name="b"/> (both eligible or not).</summary>
    bool Better(IReadOnlyList<CandidateFigures> a, IReadOnlyList<CandidateFigures> b);
}
