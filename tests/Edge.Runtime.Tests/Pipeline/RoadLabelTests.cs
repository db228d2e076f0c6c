using Edge.Runtime.Pipeline;

namespace Edge.Runtime.Tests.Pipeline;

/// <summary>The SIMD road labelling equals the previous scalar loop and an independent first-maximum argmax.</summary>
public sealed class RoadLabelTests
{
    [Theory]
    [InlineData(0, 20, 1000)]
    [InlineData(7, 20, 4099)]
    [InlineData(19, 20, 333)]
    [InlineData(0, 1, 64)]
    [InlineData(2, 5, 17)]
    [InlineData(3, 4, 70000)]
    public void Road_mask_equals_the_scalar_loop_and_a_first_maximum_argmax(int roadClass, int channels, int n)
    {
        var random = new Random((roadClass * 31) + n);
        var logits = new float[channels * n];
        for (var i = 0; i < logits.Length; i++)
        {
            // Few distinct values, so that ties between road and earlier / later classes are frequent.
            logits[i] = random.Next(4) * 0.5f;
        }

        var actual = new byte[n + 5];
        actual.AsSpan().Fill(9);
        OnnxFrameAnalyzer.LabelRoad(logits, channels, n, roadClass, actual);

        var scalar = new byte[n];
        ScalarLabelRoad(logits, channels, n, roadClass, scalar);
        Assert.Equal(scalar, actual[..n]);
        Assert.All(actual[n..], b => Assert.Equal(9, b));
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(FirstArgmax(logits, channels, n, i) == roadClass ? (byte)255 : (byte)0, actual[i]);
        }
    }

    [Fact]
    public void Nan_logits_behave_as_in_the_scalar_loop()
    {
        const int channels = 6, n = 200, roadClass = 2;
        var random = new Random(3);
        var logits = new float[channels * n];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = random.Next(10) == 0 ? float.NaN : random.NextSingle();
        }

        var actual = new byte[n];
        OnnxFrameAnalyzer.LabelRoad(logits, channels, n, roadClass, actual);
        var scalar = new byte[n];
        ScalarLabelRoad(logits, channels, n, roadClass, scalar);
        Assert.Equal(scalar, actual);
    }

    /// <summary>OnnxFrameAnalyzer.LabelRoad as it was before vectorisation, verbatim.</summary>
    private static void ScalarLabelRoad(ReadOnlySpan<float> logits, int channels, int n, int roadClass, Span<byte> road)
    {
        var best = new float[n].AsSpan();
        logits.Slice(roadClass * n, n).CopyTo(best);
        road[..n].Fill(255);
        for (var c = 0; c < channels; c++)
        {
            if (c == roadClass)
            {
                continue;
            }

            var plane = logits.Slice(c * n, n);
            var earlier = c < roadClass;
            for (var i = 0; i < n; i++)
            {
                var v = plane[i];
                if (v > best[i] || (earlier && v == best[i]))
                {
                    best[i] = v;
                    road[i] = 0;
                }
            }
        }
    }

    private static int FirstArgmax(float[] logits, int channels, int n, int pixel)
    {
        var best = 0;
        for (var c = 1; c < channels; c++)
        {
            if (logits[(c * n) + pixel] > logits[(best * n) + pixel])
            {
                best = c;
            }
        }

        return best;
    }
}
