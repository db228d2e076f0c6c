using Host.Tools.Pruning;

namespace Host.Tools.Tests.Pruning;

public sealed class PruningSettingsTests
{
    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Rejects_ratio_outside_zero_inclusive_to_one_exclusive(double ratio)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PruningSettings { Ratio = ratio }.Validate());
        Assert.Contains("ratio", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new L2NormFilterSelector(new PruningSettings { Ratio = ratio }));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.99)]
    public void Accepts_ratio_in_range(double ratio) =>
        Assert.Equal(ratio, new PruningSettings { Ratio = ratio }.Validate().Ratio);
}
