namespace Host.Tools.Training;

/// <summary>No class weighting (plain cross-entropy).</summary>
public sealed class UniformClassWeighting : IClassWeighting
{
    public string Name => "none";

    public float[]? Compute(ClassFrequencies frequencies) => null;
}
