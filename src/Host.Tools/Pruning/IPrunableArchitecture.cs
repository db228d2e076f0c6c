using Host.Tools.Models;
using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>What structured pruning needs to know about one architecture: its prunable channel groups and how to
/// build the same network with explicit inner widths.</summary>
public interface IPrunableArchitecture
{
    bool Supports(SegmentationNetwork network);

    IReadOnlyList<ChannelGroup> Groups(SegmentationNetwork network, IReadOnlyDictionary<string, Tensor> state);

    /// <summary>A fresh network like <paramref name="original"/> whose blocks have <paramref name="widths"/>.</summary>
    SegmentationNetwork Create(SegmentationNetwork original, BlockWidths widths);
}
