using Edge.Runtime.Models;

namespace Host.Tools.Calibration;

/// <summary>The chosen operating point, its figures on the sets it was chosen on and checked on, and every candidate tried.</summary>
public sealed record HazardCalibrationResult
{
    public required OperatingPoint OperatingPoint { get; init; }

    public required IReadOnlyList<CandidateFigures> ChosenFigures { get; init; }

    public required IReadOnlyList<CandidateFigures> CheckFigures { get; init; }

    public required IReadOnlyList<CandidateRow> Candidates { get; init; }
}
