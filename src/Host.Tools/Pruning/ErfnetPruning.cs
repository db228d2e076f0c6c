using Host.Tools.Models;
using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>
/// ERFNet: prunable are the three inner channel sets of every non_bottleneck_1d — conv3x1_1 out (-> ReLU -> conv1x3_1
/// in), conv1x3_1 out (-> bn1 -> ReLU -> conv3x1_2 in) and conv3x1_2 out (-> ReLU -> conv1x3_2 in). conv1x3_2's output
/// is added to the block input (residual group spanning every block between two down/up-samplers) and stays whole, as
/// do the Downsampler blocks (conv output concatenated with the max-pooled input) and the Upsampler blocks.
/// Works for the BN-folded variant too (no bn1/bn2).
/// </summary>
public sealed class ErfnetPruning : IPrunableArchitecture
{
    public bool Supports(SegmentationNetwork network) => network is Models.Erfnet.Erfnet;

    public IReadOnlyList<ChannelGroup> Groups(SegmentationNetwork network, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var groups = new List<ChannelGroup>();
        var blocks = state.Keys
            .Where(k => k.EndsWith(".conv3x1_1.weight", StringComparison.Ordinal))
            .Select(k => k[..^".conv3x1_1.weight".Length])
            .ToList();
        foreach (var block in blocks)
        {
            var c31a = new ConvRef($"{block}.conv3x1_1");
            var c13a = new ConvRef($"{block}.conv1x3_1");
            var c31b = new ConvRef($"{block}.conv3x1_2");
            var c13b = new ConvRef($"{block}.conv1x3_2");
            var bn1 = state.ContainsKey($"{block}.bn1.weight") ? $"{block}.bn1" : null;
            groups.Add(Group(block, 0, c31a, null, c13a));
            groups.Add(Group(block, 1, c13a, bn1, c31b));
            groups.Add(Group(block, 2, c31b, null, c13b));
        }

        return groups;
    }

    public SegmentationNetwork Create(SegmentationNetwork original, BlockWidths widths)
    {
        var erfnet = original as Models.Erfnet.Erfnet ?? throw new ArgumentException("expected an ERFNet", nameof(original));
        return new Models.Erfnet.Erfnet(erfnet.NumClasses, erfnet.FoldedBatchNorm, widths);
    }

    private static ChannelGroup Group(string block, int slot, ConvRef producer, string? norm, ConvRef consumer) => new()
    {
        Block = block,
        Slot = slot,
        Producer = producer,
        ProducerHasBias = true,
        Norm = norm,
        NormEps = 1e-3,
        Activation = ActivationKind.Relu,
        Consumer = consumer,
    };
}
