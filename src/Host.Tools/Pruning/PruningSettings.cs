namespace Host.Tools.Pruning;

/// <summary>Settings of L2-norm structured pruning. <see cref="Ratio"/> is the fraction of each prunable channel group
/// that is removed (0 &lt;= ratio &lt; 1; at least one channel of every group is always kept).</summary>
public sealed record PruningSettings
{
    public required double Ratio { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the field, the expected range and the value.</summary>
    public PruningSettings Validate()
    {
        if (double.IsNaN(Ratio) || Ratio < 0 || Ratio >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio, $"ratio: expected 0 <= ratio < 1, got {Ratio}.");
        }

        return this;
    }
}
