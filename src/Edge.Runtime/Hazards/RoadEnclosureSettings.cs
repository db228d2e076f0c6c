namespace Edge.Runtime.Hazards;

/// <summary>
/// Road-enclosure candidates (settings <c>hazards.road_enclosure</c>): not-road regions that the model's road
/// surrounds. The road mask is closed with an elliptical kernel whose side is a fraction of the map width, its holes
/// are filled, and candidates = filled road − road. Candidate pixels are hazards when their score reaches
/// <see cref="CandidateThreshold"/> (lower than the operating threshold; a boost of the score inside candidates is the
/// same decision, so there is only this one knob).
/// </summary>
public sealed record RoadEnclosureSettings
{
    public bool Enabled { get; init; }

    /// <summary>Side of the closing kernel as a fraction of the map width (0.02 → 21 px at 1024); 0 = no closing.</summary>
    public double CloseKernelFraction { get; init; } = 0.02;

    /// <summary>Candidate pixels count as anomalous from this score on; null = every candidate pixel (geometry only).</summary>
    public double? CandidateThreshold { get; init; }

    /// <summary>True: only candidate pixels can become hazards (the operating threshold still applies inside them via
    /// <see cref="CandidateThreshold"/>); false: candidates are added to the pixels above the operating threshold.</summary>
    public bool CandidatesOnly { get; init; }

    public IEnumerable<string> Validate(string prefix)
    {
        if (!(CloseKernelFraction >= 0 && CloseKernelFraction <= 0.2))
        {
            yield return $"{prefix}.close_kernel_fraction: expected 0..0.2 (fraction of the map width), got {CloseKernelFraction}";
        }

        if (CandidateThreshold is { } t && !double.IsFinite(t))
        {
            yield return $"{prefix}.candidate_threshold: expected a finite score or null, got {t}";
        }
    }
}
