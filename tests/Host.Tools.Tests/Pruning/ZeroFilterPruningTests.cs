using Host.Tools.Import;
using Host.Tools.Models;
using Host.Tools.Pruning;
using Host.Tools.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Pruning;

public sealed class ZeroFilterPruningTests
{
    private readonly ITestOutputHelper _output;

    public ZeroFilterPruningTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> Architectures => new() { "enet-seed", "erfnet", "erfnet-bnfolded", "midenet" };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Removing_all_zero_filters_changes_no_output(string architecture)
    {
        using var net = PruningTestNetworks.Random(architecture, 21);
        var zeroed = ZeroEveryThirdFilter(net);
        using var input = rand(1, 3, 64, 128);
        var before = PruningTestNetworks.Forward(net, input);

        var result = new StructuredPruner().Prune(net, new ZeroFilterSelector());
        using var pruned = result.Network;
        var after = PruningTestNetworks.Forward(pruned, input);

        Assert.Equal(zeroed, result.RemovedChannels);
        Assert.True(pruned.ParameterCount() < net.ParameterCount());
        var diff = PruningTestNetworks.MaxDiff(before, after);
        _output.WriteLine($"{architecture}: removed {result.RemovedChannels}, folded {result.Groups.Sum(g => g.Folded)}, max |Δ| = {diff:E2}");
        Assert.True(diff <= 1e-5, $"{architecture}: max |before - after| = {diff}");
        if (architecture is "enet-seed" or "midenet")
        {
            // These groups feed 1x1 convolutions: their nonzero constants must have been folded, not ignored.
            Assert.True(result.Groups.Sum(g => g.Folded) > 0);
        }
    }

    [Fact]
    public void A_zero_filter_with_nonzero_constant_before_a_padded_conv_is_kept()
    {
        using var net = PruningTestNetworks.Random("erfnet", 5);
        var state = net.state_dict();
        using (no_grad())
        {
            state["encoder.layers.1.conv3x1_1.weight"][4].zero_();
            state["encoder.layers.1.conv3x1_1.bias"][4].fill_(0.5f); // ReLU(0.5) = 0.5 feeds conv1x3_1 (padded)
        }

        var result = new StructuredPruner().Prune(net, new ZeroFilterSelector());
        using var pruned = result.Network;
        Assert.Equal(0, result.RemovedChannels);
    }

    [Fact]
    public void Paper_zeroed_midenet_is_pruned_physically_without_changing_its_output()
    {
        using var net = NetworkImporter.Load("midenet", TestPaths.Shared("weights/seed/pruning_quantization/midenet/midenet_pruned_30%.pth"));
        AssertExactAndSmaller(net);
    }

    [Fact]
    public void Paper_zeroed_erfnet_fx_checkpoint_is_pruned_physically_without_changing_its_output()
    {
        using var net = NetworkImporter.Load("erfnet-bnfolded",
            TestPaths.Shared("weights/seed/pruning_quantization/colab/erfnet_finetuned_pruned_30%_quantized_fx.pth"));
        AssertExactAndSmaller(net);
    }

    private void AssertExactAndSmaller(SegmentationNetwork net)
    {
        manual_seed(3);
        using var input = rand(1, 3, 64, 128);
        var before = PruningTestNetworks.Forward(net, input);
        var result = new StructuredPruner().Prune(net, new ZeroFilterSelector());
        using var pruned = result.Network;
        var after = PruningTestNetworks.Forward(pruned, input);
        var zeroFilters = result.Groups.Sum(g => FilterNorms.AllZero(net.state_dict()[g.Group.Producer.WeightKey], g.Group.Producer.OutputDim).Count(z => z));
        var diff = PruningTestNetworks.MaxDiff(before, after);
        _output.WriteLine($"{net.Architecture}: {zeroFilters} zero filters in prunable groups, removed {result.RemovedChannels} " +
                          $"(folded {result.Groups.Sum(g => g.Folded)}), parameters {net.ParameterCount()} -> {pruned.ParameterCount()}, max |Δ| = {diff:E2}");
        Assert.True(result.RemovedChannels > 0);
        Assert.True(pruned.ParameterCount() < net.ParameterCount());
        // Exact up to float rounding: the pruned network sums over fewer channels, so its accumulation order differs.
        // Scaled to the logits (|logit| reaches ~20 on the paper's checkpoints): at most 1e-6 of the largest one.
        var scale = Math.Max(1.0, before.Max(v => Math.Abs((double)v)));
        Assert.True(diff <= 1e-6 * scale, $"max |before - after| = {diff}, largest |logit| {scale}");
    }

    /// <summary>Zeroes every third filter of every prunable group. Where the channel's constant output cannot be folded
    /// (padded consumer) the bias / BN shift are zeroed too, so the channel is exactly zero; where it can be folded
    /// (1x1 consumer) the BatchNorm stays random so a nonzero constant has to be compensated.</summary>
    private static long ZeroEveryThirdFilter(SegmentationNetwork net)
    {
        var state = net.state_dict();
        var groups = StructuredPruner.LayoutFor(net).Groups(net, state);
        long count = 0;
        using var noGrad = no_grad();
        foreach (var g in groups)
        {
            var weight = state[g.Producer.WeightKey];
            for (long k = 0; k < weight.shape[g.Producer.OutputDim]; k += 3)
            {
                weight.select(g.Producer.OutputDim, k).zero_();
                if (g.FoldIntoNorm is null)
                {
                    if (g.ProducerHasBias)
                    {
                        state[g.Producer.BiasKey][k].zero_();
                    }

                    if (g.Norm is { } bn)
                    {
                        state[bn + ".running_mean"][k].zero_();
                        state[bn + ".bias"][k].zero_();
                    }
                }

                count++;
            }
        }

        return count;
    }
}
