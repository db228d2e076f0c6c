using Edge.Runtime.Hazards;

namespace Host.Tools.Calibration;

/// <summary>One candidate operating point: a scorer (index into the calibration's scorers), a threshold and hazard settings.</summary>
public sealed record HazardCandidate
{
    public required string Scorer { get; init; }

    public required double Temperature { get; init; }

    public required float Threshold { get; init; }

    /// <summary>Index of the post-processing variant (<c>--variants</c>) the hazard settings come from.</summary>
    public required int Variant { get; init; }

    public required HazardSettings Hazards { get; init; }
}
