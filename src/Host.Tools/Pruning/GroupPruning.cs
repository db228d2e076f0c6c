namespace Host.Tools.Pruning;

/// <summary>Outcome for one channel group: how many channels it had, which survived, and how many removed channels
/// had an all-zero filter (of those, how many constants were folded into the next BatchNorm).</summary>
public sealed record GroupPruning(ChannelGroup Group, long Original, long[] Kept, int RemovedZeroFilters, int Folded)
{
    public long Removed => Original - Kept.Length;
}
