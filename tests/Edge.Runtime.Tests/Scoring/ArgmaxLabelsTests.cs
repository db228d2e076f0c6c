using Edge.Runtime.Pipeline;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Tests.Scoring;

/// <summary>The SIMD argmax equals an independent first-maximum argmax; its road mask equals the road labelling.</summary>
public sealed class ArgmaxLabelsTests
{
    [Theory]
    [InlineData(20, 1000)]
    [InlineData(20, 4099)]
    [InlineData(1, 64)]
    [InlineData(5, 17)]
    [InlineData(4, 70000)]
    [InlineData(200, 4099)] // class indices >= 128 survive the int -> byte narrowing
    [InlineData(256, 1000)]
    public void Labels_are_the_first_maximum_and_their_road_mask_equals_the_road_labelling(int channels, int n)
    {
        var random = new Random((channels * 31) + n);
        var logits = new float[channels * n];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = random.Next(4) * 0.5f; // few distinct values: ties are frequent
        }

        var labels = new byte[n + 3];
        labels.AsSpan().Fill(77);
        ArgmaxLabels.Compute(logits, channels, n, labels);

        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var c = 1; c < channels; c++)
            {
                best = logits[(c * n) + i] > logits[(best * n) + i] ? c : best;
            }

            Assert.Equal(best, labels[i]);
        }

        Assert.All(labels[n..], b => Assert.Equal(77, b));
        for (var roadClass = 0; roadClass < channels; roadClass += Math.Max(1, channels / 3))
        {
            var fromLabels = new byte[n];
            ArgmaxLabels.Mask(labels.AsSpan(0, n), (byte)roadClass, fromLabels);
            var road = new byte[n];
            OnnxFrameAnalyzer.LabelRoad(logits, channels, n, roadClass, road);
            Assert.Equal(road, fromLabels);
        }
    }

    [Fact]
    public void Wrong_sizes_are_refused_with_the_expected_sizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => ArgmaxLabels.Compute(new float[10], 3, 4, new byte[4]));
        Assert.Contains("got 3 planes, 10 floats", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ArgmaxLabels.Compute(new float[12], 3, 4, new byte[3]));
        Assert.Throws<ArgumentException>(() => ArgmaxLabels.Mask(new byte[5], 1, new byte[4]));
    }
}
