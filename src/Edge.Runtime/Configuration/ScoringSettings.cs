namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>scoring</c>: the anomaly score and its threshold.</summary>
public sealed record ScoringSettings
{
    /// <summary>Scorer name (VoidClass, MaxLogit, ...); null = the model card's default_score.</summary>
    public string? Method { get; init; }

    /// <summary>Logit temperature; null = the model card's temperature, else 1.</summary>
    public double? Temperature { get; init; }

    /// <summary>Score threshold; null = the model card's threshold, else the default for the scorer (docs/runtime.md).</summary>
    public double? Threshold { get; init; }
}
