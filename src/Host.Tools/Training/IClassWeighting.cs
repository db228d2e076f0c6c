namespace Host.Tools.Training;

/// <summary>A class-balancing rule for the cross-entropy: class frequencies → one weight per class (null = unweighted).</summary>
public interface IClassWeighting
{
    string Name { get; }

    float[]? Compute(ClassFrequencies frequencies);
}
