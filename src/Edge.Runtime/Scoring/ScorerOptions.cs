namespace Edge.Runtime.Scoring;

/// <summary>Parameters a scorer may use: temperature (softmax-based scores and Energy) and the void channel index.</summary>
public sealed record ScorerOptions
{
    public double Temperature { get; init; } = 1.0;

    public int VoidIndex { get; init; } = Models.CityscapesClasses.VoidIndex;
}
