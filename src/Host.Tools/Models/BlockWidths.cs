namespace Host.Tools.Models;

/// <summary>
/// Explicit inner channel counts of a network's blocks, keyed by the block's state-dict name (e.g. <c>bottleneck23</c>,
/// <c>encoder.layers.3</c>, <c>bottleneck1.0</c>). A block without an entry gets its standard widths. Used to build
/// structurally pruned networks; each block documents what its width list means.
/// </summary>
public sealed class BlockWidths
{
    private readonly Dictionary<string, long[]> _widths;

    public BlockWidths(IReadOnlyDictionary<string, long[]> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        foreach (var (block, w) in widths)
        {
            if (w.Length == 0 || w.Any(c => c < 1))
            {
                throw new ArgumentException(
                    $"Block '{block}': expected at least one channel in every inner layer, got [{string.Join(", ", w)}].", nameof(widths));
            }
        }

        _widths = widths.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, long[]> Blocks => _widths;

    /// <summary>The widths of <paramref name="block"/>, or null for the standard ones.</summary>
    public long[]? For(string block) => _widths.TryGetValue(block, out var w) ? w : null;

    /// <summary>Width list of <paramref name="block"/> checked to have <paramref name="count"/> entries, or <paramref name="standard"/>.</summary>
    public static long[] Resolve(long[]? widths, int count, long standard, string block)
    {
        if (widths is null)
        {
            return Enumerable.Repeat(standard, count).ToArray();
        }

        return widths.Length == count
            ? widths
            : throw new ArgumentException($"Block '{block}': expected {count} inner widths, got {widths.Length}.", nameof(widths));
    }
}
