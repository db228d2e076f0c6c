namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>scoring</c>: the anomaly score and its threshold (unset: the model card's operating point, see docs/runtime.md).</summary>
public sealed record ScoringSettings
{
    /// <summary>Scorer name (VoidClass, MaxLogit, ...); null = the model card's default_score.</summary>
    public string? Method { get; init; }

    /// <summary>Logit temperature; null = the model card's temperature, else 1.</summary>
    public double? Temperature { get; init; }

    /// <summary>Score threshold; null = the model card's threshold, else the default for the scorer (docs/runtime.md).</summary>
    public double? Threshold { get; init; }

    /// <summary>
    /// True (default): the model card's <c>operating_point</c> supplies scorer, temperature, threshold and hazard
    /// post-processing wherever these settings leave them unset; false: the card's operating point is not used.
    /// </summary>
    public bool UseOperatingPoint { get; init; } = true;
}
