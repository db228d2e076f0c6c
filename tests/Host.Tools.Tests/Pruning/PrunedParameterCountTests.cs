using Host.Tools.Pruning;

namespace Host.Tools.Tests.Pruning;

public sealed class PrunedParameterCountTests
{
    [Fact]
    public void Pruned_midenet_has_the_parameter_count_of_its_kept_widths()
    {
        using var net = PruningTestNetworks.Random("midenet", 31);
        var result = new StructuredPruner().Prune(net, new L2NormFilterSelector(new PruningSettings { Ratio = 0.3 }));
        using var pruned = result.Network;
        (string Name, long In, long Out, bool Match)[] blocks =
        [
            ("bottleneck1.0", 16, 64, true), ("bottleneck1.1", 64, 64, false), ("bottleneck1.2", 64, 64, false),
            ("bottleneck2.0", 64, 128, true), ("bottleneck2.1", 128, 128, false), ("bottleneck2.2", 128, 128, false),
        ];
        long expected = 13 * 3 * 3 * 3 + 2 * 16 + 128 * 20 + 20; // initial conv (no bias) + BN(16); classifier
        foreach (var (name, cin, cout, match) in blocks)
        {
            var w = result.Widths.For(name)!;
            Assert.Equal(cin / 4 - (long)Math.Floor(0.3 * (cin / 4) + 1e-9), w[0]);
            expected += cin * w[0] + 2 * w[0] + w[0] * w[1] * 9 + 2 * w[1] + w[1] * cout + 2 * cout + (match ? cin * cout : 0);
        }

        Assert.Equal(expected, pruned.ParameterCount());
    }

    [Theory]
    [InlineData("erfnet", false)]
    [InlineData("erfnet-bnfolded", true)]
    public void Pruned_erfnet_has_the_parameter_count_of_its_kept_widths(string architecture, bool folded)
    {
        using var net = PruningTestNetworks.Random(architecture, 37);
        var result = new StructuredPruner().Prune(net, new L2NormFilterSelector(new PruningSettings { Ratio = 0.3 }));
        using var pruned = result.Network;
        long Block(long c, long a, long b, long d) =>
            c * a * 3 + a + a * b * 3 + b + (folded ? 0 : 2 * b) + b * d * 3 + d + d * c * 3 + c + (folded ? 0 : 2 * c);
        var blocks = Enumerable.Range(1, 5).Select(i => ($"encoder.layers.{i}", 64L))
            .Concat(Enumerable.Range(7, 8).Select(i => ($"encoder.layers.{i}", 128L)))
            .Concat([("decoder.layers.1", 64L), ("decoder.layers.2", 64L), ("decoder.layers.4", 16L), ("decoder.layers.5", 16L)])
            .ToList();
        Assert.Equal(blocks.Count, result.Widths.Blocks.Count);
        var expected = net.ParameterCount();
        foreach (var (name, c) in blocks)
        {
            var w = result.Widths.For(name)!;
            var keep = c - (long)Math.Floor(0.3 * c + 1e-9);
            Assert.Equal(new[] { keep, keep, keep }, w);
            expected += Block(c, w[0], w[1], w[2]) - Block(c, c, c, c);
        }

        Assert.Equal(expected, pruned.ParameterCount());
    }
}
