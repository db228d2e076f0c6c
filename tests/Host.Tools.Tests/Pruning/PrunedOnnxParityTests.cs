using Host.Tools.Export;
using Host.Tools.Pruning;
using Host.Tools.Tests.Support;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Pruning;

public sealed class PrunedOnnxParityTests
{
    public static TheoryData<string> Architectures => new() { "enet-seed", "erfnet", "erfnet-bnfolded", "midenet" };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Pruned_network_onnx_matches_its_torchsharp_forward(string architecture)
    {
        using var net = PruningTestNetworks.Random(architecture, 13);
        var result = new StructuredPruner().Prune(net, new L2NormFilterSelector(new PruningSettings { Ratio = 0.3 }));
        using var pruned = result.Network;
        foreach (var g in result.Groups)
        {
            Assert.Equal(g.Original - (long)Math.Floor(0.3 * g.Original + 1e-9), g.Kept.Length);
        }

        Assert.True(pruned.ParameterCount() < net.ParameterCount());
        const int h = 64, w = 128;
        using var input = rand(1, 3, h, w);
        var expected = PruningTestNetworks.Forward(pruned, input);
        var model = OnnxExporter.Build(pruned, h, w);
        var actual = OnnxTestRunner.Run(model, input.data<float>().ToArray(), [1, 3, h, w]);
        var diff = PruningTestNetworks.MaxDiff(expected, actual);
        Assert.True(diff <= 1e-4, $"{architecture}: max |torch - onnx| = {diff}");
    }

    [Fact]
    public void Pruned_weights_are_the_kept_slices_of_the_original()
    {
        using var net = PruningTestNetworks.Random("midenet", 17);
        var result = new StructuredPruner().Prune(net, new L2NormFilterSelector(new PruningSettings { Ratio = 0.5 }));
        using var pruned = result.Network;
        var group = result.Groups.Single(g => g.Group.Producer.Prefix == "bottleneck2.1.conv1");
        var kept2 = result.Groups.Single(g => g.Group.Producer.Prefix == "bottleneck2.1.conv2").Kept;
        var original = net.state_dict();
        using var conv2Rows = original["bottleneck2.1.conv2.weight"].index_select(0, tensor(kept2));
        var after = pruned.state_dict();
        Assert.Equal(32 - 16, group.Kept.Length); // 128 / 4 inner channels, half removed
        for (var i = 0; i < group.Kept.Length; i++)
        {
            // Output filter i of the pruned conv1 is original filter Kept[i]; BN entry likewise; conv2 input column likewise.
            Assert.True(original["bottleneck2.1.conv1.weight"][group.Kept[i]].eq(after["bottleneck2.1.conv1.weight"][i]).all().item<bool>());
            Assert.Equal(original["bottleneck2.1.bn1.running_var"][group.Kept[i]].item<float>(), after["bottleneck2.1.bn1.running_var"][i].item<float>());
            Assert.True(conv2Rows.select(1, group.Kept[i]).eq(after["bottleneck2.1.conv2.weight"].select(1, i)).all().item<bool>());
        }
    }
}
