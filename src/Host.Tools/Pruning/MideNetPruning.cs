using Host.Tools.Models;
using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>
/// MiDE-Net: prunable are the inner channels of every bottleneck — conv1 out (-> bn1 -> ReLU -> conv2 in) and conv2 out
/// (-> bn2 -> ReLU -> conv3 in). conv3/bn3 outputs are added to the residual (identity or match_channels) and stay whole,
/// as do the initial block's concat and the classifier input (the bilinear head is emitted for 128 channels).
/// </summary>
public sealed class MideNetPruning : IPrunableArchitecture
{
    public bool Supports(SegmentationNetwork network) => network is Models.MideNet.MideNet;

    public IReadOnlyList<ChannelGroup> Groups(SegmentationNetwork network, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var groups = new List<ChannelGroup>();
        var blocks = state.Keys
            .Where(k => k.StartsWith("bottleneck", StringComparison.Ordinal) && k.EndsWith(".conv1.weight", StringComparison.Ordinal))
            .Select(k => k[..^".conv1.weight".Length])
            .ToList();
        foreach (var block in blocks)
        {
            groups.Add(Group(block, 0, "conv1", "bn1", "conv2", null));
            groups.Add(Group(block, 1, "conv2", "bn2", "conv3", $"{block}.bn3"));
        }

        return groups;
    }

    public SegmentationNetwork Create(SegmentationNetwork original, BlockWidths widths)
    {
        ArgumentNullException.ThrowIfNull(original);
        return new Models.MideNet.MideNet(original.NumClasses, widths);
    }

    private static ChannelGroup Group(string block, int slot, string producer, string norm, string consumer, string? fold) => new()
    {
        Block = block,
        Slot = slot,
        Producer = new ConvRef($"{block}.{producer}"),
        ProducerHasBias = false,
        Norm = $"{block}.{norm}",
        Activation = ActivationKind.Relu,
        Consumer = new ConvRef($"{block}.{consumer}"),
        FoldIntoNorm = fold,
    };
}
