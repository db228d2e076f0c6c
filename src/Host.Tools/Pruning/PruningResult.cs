using Host.Tools.Models;

namespace Host.Tools.Pruning;

/// <summary>A physically pruned network (owned by the caller) and what was removed.</summary>
public sealed record PruningResult(SegmentationNetwork Network, BlockWidths Widths, IReadOnlyList<GroupPruning> Groups)
{
    public long RemovedChannels => Groups.Sum(g => g.Removed);

    public long PrunableChannels => Groups.Sum(g => g.Original);
}
