namespace Host.Tools.Evaluation.Components;

/// <summary>
/// What one image added to a <see cref="ComponentMetrics"/>: label components (objects, after the size filter),
/// predicted components (segments, after the size filter, with at least one pixel in the region of interest), the
/// sums of their sIoU / PPV, and the true positives / false positives at τ = 0.5.
/// </summary>
public readonly record struct ComponentImageStats(int Objects, int Segments, double SIoUSum, double PpvSum, int TruePositives50, int FalsePositives50);
