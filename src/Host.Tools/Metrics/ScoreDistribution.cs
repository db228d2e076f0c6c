namespace Host.Tools.Metrics;

/// <summary>Distinct score values (ascending, as <see cref="SortableFloat"/> keys) with their negative and positive pixel counts.</summary>
public sealed class ScoreDistribution
{
    private readonly ReadOnlyMemory<uint> _keys;
    private readonly ReadOnlyMemory<uint> _negatives;
    private readonly ReadOnlyMemory<uint> _positives;

    public ScoreDistribution(ReadOnlyMemory<uint> keys, ReadOnlyMemory<uint> negatives, ReadOnlyMemory<uint> positives)
    {
        if (keys.Length != negatives.Length || keys.Length != positives.Length)
        {
            throw new ArgumentException($"Counts must match keys: {keys.Length} keys, {negatives.Length} negative counts, {positives.Length} positive counts.");
        }

        _keys = keys;
        _negatives = negatives;
        _positives = positives;
        foreach (var n in negatives.Span)
        {
            TotalNegatives += n;
        }

        foreach (var p in positives.Span)
        {
            TotalPositives += p;
        }
    }

    public int Count => _keys.Length;

    public ReadOnlySpan<uint> Keys => _keys.Span;

    public ReadOnlySpan<uint> Negatives => _negatives.Span;

    public ReadOnlySpan<uint> Positives => _positives.Span;

    public long TotalPositives { get; }

    public long TotalNegatives { get; }

    public float Score(int index) => SortableFloat.FromKey(_keys.Span[index]);
}
