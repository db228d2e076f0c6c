using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>
/// Physically removes the filters the paper's pruning only zeroed — exactly, without changing the output: a channel
/// goes when its producer filter is all zero and its constant output act(bn(bias)) is zero, or when that constant can
/// be folded into the BatchNorm after a 1x1 unpadded consumer (<see cref="ChannelGroup.FoldIntoNorm"/>). Zeroed
/// channels whose nonzero constant feeds a padded convolution stay (their contribution differs at the border).
/// </summary>
public sealed class ZeroFilterSelector : IFilterSelector
{
    public long[] Keep(ChannelGroup group, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(group);
        var zero = FilterNorms.AllZero(state[group.Producer.WeightKey], group.Producer.OutputDim);
        var constants = ChannelConstants.ForZeroFilters(group, state);
        var kept = Enumerable.Range(0, zero.Length)
            .Where(k => !(zero[k] && (constants[k] == 0 || group.FoldIntoNorm is not null)))
            .Select(k => (long)k)
            .ToArray();
        return kept.Length > 0 ? kept : [0];
    }
}
