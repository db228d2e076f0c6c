using Edge.Runtime.Hazards;

namespace Edge.Runtime.Configuration;

/// <summary>The scorer, temperature, threshold and hazard settings a run uses, and where each came from.</summary>
public sealed record ResolvedScoring
{
    public required string Method { get; init; }

    public required double Temperature { get; init; }

    public required float Threshold { get; init; }

    /// <summary><c>settings</c>, <c>model card operating point</c>, <c>model card</c> or <c>default</c>.</summary>
    public required string ThresholdOrigin { get; init; }

    public required HazardSettings Hazards { get; init; }

    /// <summary>True when the model card's operating point supplied at least one value.</summary>
    public required bool UsesOperatingPoint { get; init; }

    /// <summary>Hazard keys taken from the operating point (dotted, snake_case).</summary>
    public IReadOnlyList<string> OperatingPointHazardKeys { get; init; } = [];
}
