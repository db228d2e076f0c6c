namespace Host.Tools.Building;

/// <summary>The export input size of a manifest.</summary>
public sealed record ManifestInput
{
    public required int Height { get; init; }

    public required int Width { get; init; }
}
