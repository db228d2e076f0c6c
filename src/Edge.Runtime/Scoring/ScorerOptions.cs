namespace Edge.Runtime.Scoring;

/// <summary>Parameters a scorer may use: temperature (softmax-based scores and Energy) and the void channel index.</summary>
public sealed record ScorerOptions
{
    public double Temperature { get; init; } = 1.0;

    public int VoidIndex { get; init; } = Models.CityscapesClasses.VoidIndex;

    /// <summary>Per-class max-logit statistics (the SML scorer; the model card's <c>sml</c>).</summary>
    public Models.SmlStatistics? Sml { get; init; }

    /// <summary>SML boundary suppression / dilated smoothing (need <see cref="MapHeight"/> and <see cref="MapWidth"/>).</summary>
    public SmlPostProcessing SmlPostProcessing { get; init; } = new();

    /// <summary>Score-map rows (0 = unknown); spatial post-processing needs it.</summary>
    public int MapHeight { get; init; }

    /// <summary>Score-map columns (0 = unknown).</summary>
    public int MapWidth { get; init; }
}
