namespace Edge.Runtime.Scoring;

/// <summary>
/// The two refinements of Standardized Max Logits (Jung et al., ICCV 2021), settings <c>hazards.sml</c>. Iterative
/// boundary suppression: the SML of pixels within <c>boundary_width</c> of a change of predicted class is replaced by
/// the mean SML of the non-boundary pixels in a 3×3 window, over <c>boundary_iterations</c> rounds with a width
/// shrinking by <c>boundary_width / boundary_iterations</c> each round. Dilated smoothing: a Gaussian of
/// <c>smoothing_kernel</c> taps (σ = <c>smoothing_sigma</c>) spread <c>smoothing_dilation</c> pixels apart.
/// Defaults are the paper's (width 4, 4 iterations, 7 taps, dilation 6); both off until measured.
/// </summary>
public sealed record SmlPostProcessing
{
    public bool BoundarySuppression { get; init; }

    public int BoundaryWidth { get; init; } = 4;

    public int BoundaryIterations { get; init; } = 4;

    public bool DilatedSmoothing { get; init; }

    public int SmoothingKernel { get; init; } = 7;

    public int SmoothingDilation { get; init; } = 6;

    public double SmoothingSigma { get; init; } = 1.0;

    public IEnumerable<string> Validate(string prefix)
    {
        if (BoundaryWidth is < 1 or > 32)
        {
            yield return $"{prefix}.boundary_width: expected 1..32 pixels, got {BoundaryWidth}";
        }

        if (BoundaryIterations < 1 || BoundaryIterations > BoundaryWidth)
        {
            yield return $"{prefix}.boundary_iterations: expected 1..boundary_width ({BoundaryWidth}), got {BoundaryIterations}";
        }

        if (SmoothingKernel < 1 || SmoothingKernel > 31 || SmoothingKernel % 2 == 0)
        {
            yield return $"{prefix}.smoothing_kernel: expected an odd number of taps 1..31, got {SmoothingKernel}";
        }

        if (SmoothingDilation is < 1 or > 32)
        {
            yield return $"{prefix}.smoothing_dilation: expected 1..32 pixels, got {SmoothingDilation}";
        }

        if (!(SmoothingSigma > 0 && double.IsFinite(SmoothingSigma)))
        {
            yield return $"{prefix}.smoothing_sigma: expected a finite value > 0, got {SmoothingSigma}";
        }
    }
}
