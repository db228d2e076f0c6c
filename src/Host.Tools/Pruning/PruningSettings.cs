namespace Host.Tools.Pruning;

/// <summary>Settings of L2-norm structured pruning. <see cref="Ratio"/> is the fraction of each prunable channel group
/// that is removed (0 &lt;= ratio &lt; 1; at least one channel of every group is always kept).</summary>
public sealed record PruningSettings
{
    public required double Ratio { get; init; }

    /// <summary>Kept channel counts are rounded up to a multiple of this (1 = exact ratio). Vector kernels (ONNX Runtime
    /// MLAS, TensorRT) run channel counts that are multiples of 8 or 16 faster than odd ones.</summary>
    public int ChannelMultiple { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the field, the expected range and the value.</summary>
    public PruningSettings Validate()
    {
        if (double.IsNaN(Ratio) || Ratio < 0 || Ratio >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio, $"ratio: expected 0 <= ratio < 1, got {Ratio}.");
        }

        if (ChannelMultiple < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ChannelMultiple), ChannelMultiple, $"channel multiple: expected >= 1, got {ChannelMultiple}.");
        }

        return this;
    }
}
