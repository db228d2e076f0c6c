namespace Host.Tools.Compression;

/// <summary>What a compressed model is, which decides its targets (compression issue: INT8 ≥ 2×, pruned ≥ 1.4×).</summary>
public enum CompressionKind
{
    /// <summary>A float baseline (or a float graph rewrite): no target.</summary>
    Float,

    /// <summary>INT8 (QDQ): ≥ 2× faster than its baseline, AuPRC loss ≤ 0.5 points (VoidClass and MaxLogit).</summary>
    Int8,

    /// <summary>Structurally pruned: ≥ 1.4× faster than its baseline.</summary>
    Pruned,
}
