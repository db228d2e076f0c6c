using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>Removes the floor(ratio * n) producer filters with the smallest L2 norm (ties: the later channel goes first);
/// at least one channel is kept; with a channel multiple m the kept count is rounded up to a multiple of m.</summary>
public sealed class L2NormFilterSelector : IFilterSelector
{
    private readonly double _ratio;
    private readonly int _multiple;

    public L2NormFilterSelector(PruningSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _ratio = settings.Validate().Ratio;
        _multiple = settings.ChannelMultiple;
    }

    public long[] Keep(ChannelGroup group, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(group);
        var norms = FilterNorms.L2(state[group.Producer.WeightKey], group.Producer.OutputDim);
        var n = norms.Length;
        var remove = Math.Min(n - 1, (int)Math.Floor(_ratio * n + 1e-9));
        if (_multiple > 1 && n >= _multiple)
        {
            var keep = (n - remove + _multiple - 1) / _multiple * _multiple;
            remove = n - Math.Min(n, keep);
        }
        var removed = Enumerable.Range(0, n)
            .OrderBy(i => norms[i])
            .ThenByDescending(i => i)
            .Take(remove)
            .ToHashSet();
        return Enumerable.Range(0, n).Where(i => !removed.Contains(i)).Select(i => (long)i).ToArray();
    }
}
