namespace Edge.Runtime.Hazards;

/// <summary>
/// Perspective-aware minimum hazard size (settings <c>hazards.perspective_min_area</c>): a hazard whose lowest row is y
/// must cover at least <c>base_area_px · ((y/H − horizon_fraction) / (1 − horizon_fraction))²</c> source pixels
/// (0 above the horizon), on top of <c>hazards.min_area_px</c>. Far objects may be small, near ones may not.
/// </summary>
public sealed record PerspectiveMinAreaSettings
{
    public bool Enabled { get; init; }

    /// <summary>Horizon row as a fraction of the frame height (0 = top).</summary>
    public double HorizonFraction { get; init; } = 0.4;

    /// <summary>Minimum area, source-frame pixels, of a hazard touching the bottom row.</summary>
    public int BaseAreaPx { get; init; } = 4000;

    public IEnumerable<string> Validate(string prefix)
    {
        if (!(HorizonFraction >= 0 && HorizonFraction < 1))
        {
            yield return $"{prefix}.horizon_fraction: expected 0 <= value < 1 (fraction of the frame height), got {HorizonFraction}";
        }

        if (BaseAreaPx < 0)
        {
            yield return $"{prefix}.base_area_px: expected >= 0 source pixels, got {BaseAreaPx}";
        }
    }
}
