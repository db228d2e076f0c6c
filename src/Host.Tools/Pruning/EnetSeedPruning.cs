using Host.Tools.Models;
using Host.Tools.Models.Enet;
using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>
/// ENet (seed layout): prunable are the inner channels of every bottleneck — conv1 out (-> bn1 -> prelu1/ReLU -> conv2 in)
/// and conv2 out (-> bn2 -> prelu2/ReLU -> conv3 in); in asymmetric blocks also conv2.0 out (-> conv2.1 BN -> conv2.2
/// PReLU -> conv2.3 in). PReLUs inside the bottlenecks have one shared slope, so nothing else depends on these channels.
/// Block outputs (conv3/bn3, the residual add, the zero-padded main branch of down-sampling blocks, the unpooled
/// spatil_conv branch of up-sampling blocks) and the initial block's concat stay whole.
/// </summary>
public sealed class EnetSeedPruning : IPrunableArchitecture
{
    public bool Supports(SegmentationNetwork network) => network is EnetSeed;

    public IReadOnlyList<ChannelGroup> Groups(SegmentationNetwork network, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(state);
        var groups = new List<ChannelGroup>();
        foreach (var (name, module) in network.named_children())
        {
            if (module is not EnetSeedBottleneck block)
            {
                continue;
            }

            ActivationKind Act(string key) => state.ContainsKey($"{name}.{key}.weight") ? ActivationKind.PRelu : ActivationKind.Relu;
            string? PRelu(string key) => state.ContainsKey($"{name}.{key}.weight") ? $"{name}.{key}.weight" : null;
            var conv1 = new ConvRef($"{name}.conv1");
            var conv3 = new ConvRef($"{name}.conv3");
            if (block.Kind == EnetBlockKind.Asymmetric)
            {
                var first = new ConvRef($"{name}.conv2.0");
                var second = new ConvRef($"{name}.conv2.3");
                groups.Add(Group(name, 0, conv1, false, $"{name}.bn1", Act("prelu1"), PRelu("prelu1"), first, null));
                groups.Add(Group(name, 1, first, true, $"{name}.conv2.1", ActivationKind.PRelu, $"{name}.conv2.2.weight", second, null));
                groups.Add(Group(name, 2, second, true, $"{name}.bn2", Act("prelu2"), PRelu("prelu2"), conv3, $"{name}.bn3"));
            }
            else
            {
                var conv2 = new ConvRef($"{name}.conv2", block.Kind == EnetBlockKind.Upsampling);
                groups.Add(Group(name, 0, conv1, false, $"{name}.bn1", Act("prelu1"), PRelu("prelu1"), conv2, null));
                groups.Add(Group(name, 1, conv2, false, $"{name}.bn2", Act("prelu2"), PRelu("prelu2"), conv3, $"{name}.bn3"));
            }
        }

        return groups;
    }

    public SegmentationNetwork Create(SegmentationNetwork original, BlockWidths widths)
    {
        ArgumentNullException.ThrowIfNull(original);
        return new EnetSeed(original.NumClasses, widths);
    }

    private static ChannelGroup Group(string block, int slot, ConvRef producer, bool bias, string norm, ActivationKind act,
        string? prelu, ConvRef consumer, string? fold) => new()
    {
        Block = block,
        Slot = slot,
        Producer = producer,
        ProducerHasBias = bias,
        Norm = norm,
        Activation = act,
        PReluKey = prelu,
        Consumer = consumer,
        FoldIntoNorm = fold,
    };
}
