using Host.Tools.Pruning;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Pruning;

public sealed class L2NormFilterSelectorTests
{
    private static ChannelGroup Group(bool transposed = false) => new()
    {
        Block = "b",
        Slot = 0,
        Producer = new ConvRef("b.p", transposed),
        ProducerHasBias = false,
        Activation = ActivationKind.Relu,
        Consumer = new ConvRef("b.c"),
    };

    [Fact]
    public void Removes_the_filters_with_the_lowest_l2_norm()
    {
        // 10 filters [1,2,2]; filter i has all four entries equal to a_i, so its L2 norm is 2|a_i|.
        float[] a = [3f, -0.5f, 2f, 0.1f, -4f, 1f, -0.2f, 5f, 0.7f, -6f];
        var values = a.SelectMany(v => Enumerable.Repeat(v, 4)).ToArray();
        using var weight = tensor(values, [10, 1, 2, 2]);
        var state = new Dictionary<string, Tensor> { ["b.p.weight"] = weight };
        var kept = new L2NormFilterSelector(new PruningSettings { Ratio = 0.3 }).Keep(Group(), state);
        // floor(0.3 * 10) = 3 removed: |0.1|, |-0.2|, |-0.5| -> indices 3, 6, 1.
        Assert.Equal(new long[] { 0, 2, 4, 5, 7, 8, 9 }, kept);
    }

    [Fact]
    public void Ranks_transposed_convolution_filters_along_dim_one()
    {
        // ConvTranspose weight [in=2, out=4, 1, 1]: output channel j's filter is column j.
        float[] values = [1f, 0.1f, 3f, 0.2f, 1f, 0.1f, 3f, -9f];
        using var weight = tensor(values, [2, 4, 1, 1]);
        var state = new Dictionary<string, Tensor> { ["b.p.weight"] = weight };
        var kept = new L2NormFilterSelector(new PruningSettings { Ratio = 0.5 }).Keep(Group(transposed: true), state);
        // Column norms: sqrt(2), sqrt(0.02), sqrt(18), sqrt(81.04) -> drop 1 and 0.
        Assert.Equal(new long[] { 2, 3 }, kept);
    }

    [Fact]
    public void Ratio_zero_keeps_everything_and_one_channel_always_survives()
    {
        using var weight = rand(3, 2, 3, 3);
        var state = new Dictionary<string, Tensor> { ["b.p.weight"] = weight };
        Assert.Equal(new long[] { 0, 1, 2 }, new L2NormFilterSelector(new PruningSettings { Ratio = 0 }).Keep(Group(), state));
        Assert.Single(new L2NormFilterSelector(new PruningSettings { Ratio = 0.99 }).Keep(Group(), state));
    }

    [Fact]
    public void Channel_multiple_rounds_the_kept_count_up_and_still_drops_the_weakest()
    {
        using var weight = TorchSharp.torch.arange(1, 65, TorchSharp.torch.ScalarType.Float32).reshape(64, 1, 1, 1);
        var state = new Dictionary<string, TorchSharp.torch.Tensor> { ["b.p.weight"] = weight };
        var exact = new L2NormFilterSelector(new PruningSettings { Ratio = 0.3 }).Keep(Group(), state);
        var rounded = new L2NormFilterSelector(new PruningSettings { Ratio = 0.3, ChannelMultiple = 16 }).Keep(Group(), state);
        Assert.Equal(45, exact.Length); // 64 - floor(0.3 * 64)
        Assert.Equal(48, rounded.Length); // rounded up to a multiple of 16
        Assert.Equal(Enumerable.Range(16, 48).Select(i => (long)i), rounded); // the 16 smallest norms are gone
        Assert.Throws<ArgumentOutOfRangeException>(() => new PruningSettings { Ratio = 0.3, ChannelMultiple = 0 }.Validate());
    }
}
