namespace Edge.Runtime.Models;

/// <summary>Where an exported model came from: the checkpoint path and its SHA-256 (lowercase hex).</summary>
public sealed record ModelSource
{
    public required string Checkpoint { get; init; }

    public required string Sha256 { get; init; }
}
