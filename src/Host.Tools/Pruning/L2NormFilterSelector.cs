using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>Removes the floor(ratio * n) producer filters with the smallest L2 norm (ties: the later channel goes first);
/// at least one channel is kept.</summary>
public sealed class L2NormFilterSelector : IFilterSelector
{
    private readonly double _ratio;

    public L2NormFilterSelector(PruningSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _ratio = settings.Validate().Ratio;
    }

    public long[] Keep(ChannelGroup group, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(group);
        var norms = FilterNorms.L2(state[group.Producer.WeightKey], group.Producer.OutputDim);
        var n = norms.Length;
        var remove = Math.Min(n - 1, (int)Math.Floor(_ratio * n + 1e-9));
        var removed = Enumerable.Range(0, n)
            .OrderBy(i => norms[i])
            .ThenByDescending(i => i)
            .Take(remove)
            .ToHashSet();
        return Enumerable.Range(0, n).Where(i => !removed.Contains(i)).Select(i => (long)i).ToArray();
    }
}
