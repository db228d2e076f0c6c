namespace Edge.Runtime.Models;

/// <summary>How raw frames become the network input (the paper: RGB, Pillow bilinear, / 255, no mean/std).</summary>
public sealed record PreprocessingSpec
{
    public const string PillowBilinear = "pillow-bilinear";

    public string Color { get; init; } = "RGB";

    public string Resize { get; init; } = PillowBilinear;

    public double Scale { get; init; } = 1.0 / 255.0;

    public IReadOnlyList<double>? Mean { get; init; }

    public IReadOnlyList<double>? Std { get; init; }
}
