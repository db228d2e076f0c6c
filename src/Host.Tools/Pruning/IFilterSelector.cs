using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>Chooses which channels of a group survive.</summary>
public interface IFilterSelector
{
    /// <summary>Indices of the kept channels, ascending; never empty.</summary>
    long[] Keep(ChannelGroup group, IReadOnlyDictionary<string, Tensor> state);
}
