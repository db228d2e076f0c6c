namespace Edge.Runtime.Hazards;

/// <summary>How a score map becomes hazards (settings <c>hazards</c>).</summary>
public sealed record HazardSettings
{
    public RoadAreaSettings RoadArea { get; init; } = new();

    /// <summary>Side of the elliptical opening kernel (removes specks), model pixels; 0 = off.</summary>
    public int OpenKernelPx { get; init; } = 3;

    /// <summary>Side of the elliptical closing kernel (fills gaps), model pixels; 0 = off.</summary>
    public int CloseKernelPx { get; init; } = 7;

    /// <summary>Smallest hazard kept, in source-frame pixels.</summary>
    public int MinAreaPx { get; init; } = 400;

    /// <summary>At most this many hazards per frame (largest first).</summary>
    public int MaxHazards { get; init; } = 32;

    /// <summary>Road-enclosure candidates (off by default).</summary>
    public RoadEnclosureSettings RoadEnclosure { get; init; } = new();

    /// <summary>
    /// A hazard is kept only when its highest pixel score reaches this (null = off): the operating threshold gives a
    /// hazard its extent, this peak decides whether it exists (hysteresis thresholding). Must be >= the threshold to matter.
    /// </summary>
    public double? MinPeakScore { get; init; }

    /// <summary>
    /// A hazard is kept only when its pixels fill at least this fraction of its bounding box (0 = off): obstacles are
    /// compact, while lane markings and road edges that the road mask leaves out are thin diagonal slivers.
    /// </summary>
    public double MinBoxFill { get; init; }

    /// <summary>
    /// A hazard is kept only when the model's road (the ego road when that step is on) continues beyond it: some road
    /// pixel within this many map rows above its box, over its columns (0 = off). An obstacle lies on the road, so the
    /// road goes on behind it; the notch where the road meets the hills at the vanishing point does not.
    /// </summary>
    public int RoadBeyondRows { get; init; }

    /// <summary>Known-object filter: hazards the network labels as vehicles are dropped (off by default).</summary>
    public KnownObjectsSettings KnownObjects { get; init; } = new();

    /// <summary>Row-dependent minimum hazard size (off by default).</summary>
    public PerspectiveMinAreaSettings PerspectiveMinArea { get; init; } = new();

    /// <summary>Post-processing of the SML scorer (used when <c>scoring.method</c> is SML).</summary>
    public Scoring.SmlPostProcessing Sml { get; init; } = new();

    public IEnumerable<string> Validate(string prefix, int classCount)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (RoadArea is null)
        {
            yield return $"{prefix}.road_area: expected an object, got null";
        }
        else
        {
            foreach (var e in RoadArea.Validate($"{prefix}.road_area", classCount))
            {
                yield return e;
            }
        }

        if (OpenKernelPx is < 0 or > 101)
        {
            yield return $"{prefix}.open_kernel_px: expected 0..101, got {OpenKernelPx}";
        }

        if (CloseKernelPx is < 0 or > 101)
        {
            yield return $"{prefix}.close_kernel_px: expected 0..101, got {CloseKernelPx}";
        }

        if (MinAreaPx < 1)
        {
            yield return $"{prefix}.min_area_px: expected >= 1 source pixels, got {MinAreaPx}";
        }

        if (MaxHazards < 1)
        {
            yield return $"{prefix}.max_hazards: expected >= 1, got {MaxHazards}";
        }

        foreach (var e in RoadEnclosure?.Validate($"{prefix}.road_enclosure") ?? [$"{prefix}.road_enclosure: expected an object, got null"])
        {
            yield return e;
        }

        if (MinPeakScore is { } peak && !double.IsFinite(peak))
        {
            yield return $"{prefix}.min_peak_score: expected a finite score or null, got {peak}";
        }

        if (!(MinBoxFill >= 0 && MinBoxFill <= 1))
        {
            yield return $"{prefix}.min_box_fill: expected 0..1 (fraction of the hazard's bounding box), got {MinBoxFill}";
        }

        if (RoadBeyondRows is < 0 or > 256)
        {
            yield return $"{prefix}.road_beyond_rows: expected 0..256 map rows (0 = off), got {RoadBeyondRows}";
        }

        if (KnownObjects is null)
        {
            yield return $"{prefix}.known_objects: expected an object, got null";
        }
        else if (KnownObjects.Enabled)
        {
            foreach (var e in KnownObjects.Validate($"{prefix}.known_objects", classCount))
            {
                yield return e;
            }
        }

        foreach (var e in PerspectiveMinArea?.Validate($"{prefix}.perspective_min_area") ?? [$"{prefix}.perspective_min_area: expected an object, got null"])
        {
            yield return e;
        }

        foreach (var e in Sml?.Validate($"{prefix}.sml") ?? [$"{prefix}.sml: expected an object, got null"])
        {
            yield return e;
        }
    }
}
