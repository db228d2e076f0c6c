namespace Edge.Runtime.Models;

/// <summary>The network input: one RGB image of Height x Width, NCHW.</summary>
public sealed record ModelInputSpec
{
    public required int Height { get; init; }

    public required int Width { get; init; }

    public int Channels { get; init; } = 3;
}
