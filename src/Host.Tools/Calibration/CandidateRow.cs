namespace Host.Tools.Calibration;

/// <summary>One tried candidate and its figures per chosen-on set.</summary>
public sealed record CandidateRow(string Scorer, double Threshold, int Variant, IReadOnlyList<CandidateFigures> Figures, double? Objective);
