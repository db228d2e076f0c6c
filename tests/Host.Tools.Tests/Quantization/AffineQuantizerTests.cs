using Host.Tools.Quantization;

namespace Host.Tools.Tests.Quantization;

public sealed class AffineQuantizerTests
{
    [Theory]
    [InlineData(-1.3f, 4.7f)]
    [InlineData(0f, 6f)]
    [InlineData(-0.02f, 0.01f)]
    public void Uint8_round_trip_error_is_at_most_half_a_step_inside_the_range(float lo, float hi)
    {
        var p = AffineQuantizer.Asymmetric(lo, hi);
        Assert.Equal(QuantElementType.UInt8, p.Type);
        Assert.InRange(p.ZeroPoint, 0, 255);
        var (rlo, rhi) = p.RepresentableRange;
        Assert.True(rlo <= lo + (p.Scale / 2) && rhi >= hi - (p.Scale / 2), $"range [{rlo}, {rhi}] does not cover [{lo}, {hi}]");
        var rng = new Random(5);
        for (var i = 0; i < 20000; i++)
        {
            var x = lo + ((hi - lo) * (float)rng.NextDouble());
            var err = MathF.Abs(x - AffineQuantizer.FakeQuantize(x, p));
            Assert.True(err <= (p.Scale / 2) * 1.0001f, $"x={x}: |x - dq(q(x))| = {err} > scale/2 = {p.Scale / 2}");
        }

        Assert.Equal(0f, AffineQuantizer.FakeQuantize(0f, p)); // zero is exactly representable
    }

    [Fact]
    public void Int8_symmetric_has_zero_point_zero_and_clips_outside_the_range()
    {
        var p = AffineQuantizer.Symmetric(-0.5f, 2.54f);
        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(2.54f / 127f, p.Scale, 6);
        Assert.Equal(127, AffineQuantizer.Quantize(10f, p));
        Assert.Equal(-128, AffineQuantizer.Quantize(-10f, p));
        for (var x = -2.54f; x <= 2.54f; x += 0.001f)
        {
            Assert.True(MathF.Abs(x - AffineQuantizer.FakeQuantize(x, p)) <= (p.Scale / 2) * 1.0001f);
        }
    }

    [Fact]
    public void Per_channel_weights_use_their_own_scale_along_the_axis()
    {
        // ConvTranspose layout [in=2, out=3, 1, 2]: channel axis 1.
        float[] w = [0.1f, -0.2f, 1f, 2f, -30f, 3f, 0.05f, 0.01f, -1.5f, 0.5f, 12f, -6f];
        var (q, scales) = AffineQuantizer.QuantizeWeightsPerChannel(w, [2, 3, 1, 2], axis: 1);
        Assert.Equal(3, scales.Length);
        Assert.Equal(0.2f / 127, scales[0], 7);
        Assert.Equal(2f / 127, scales[1], 7);
        Assert.Equal(30f / 127, scales[2], 6);
        for (var i = 0; i < w.Length; i++)
        {
            var c = (i / 2) % 3;
            Assert.True(MathF.Abs(w[i] - (q[i] * scales[c])) <= scales[c] / 2 * 1.0001f, $"w[{i}]");
        }

        Assert.Equal(-127, q[4]); // the channel's extreme maps to ±127
    }

    [Fact]
    public void Entropy_threshold_clips_a_long_sparse_tail_and_percentile_trims_both_ends()
    {
        // 200,000 values in [0, 1) plus 10 outliers at 100: the entropy threshold clips the outliers (TensorRT's search
        // starts at 128 of 2048 bins, i.e. 6.25 here), far below 100.
        var s = new TensorStatistics("t");
        var rng = new Random(1);
        var values = Enumerable.Range(0, 200_000).Select(_ => (float)rng.NextDouble()).Concat(Enumerable.Repeat(100f, 10)).ToArray();
        s.ObserveRange(values);
        s.StartHistograms();
        s.ObserveHistogram(values);
        var (_, hi) = new EntropyCalibrator().Range(s);
        Assert.InRange(hi, 0.9f, 10f);
        var (plo, phi) = new PercentileCalibrator(99.9).Range(s);
        Assert.InRange(plo, 0f, 0.01f);
        Assert.InRange(phi, 0.99f, 1.2f);
        Assert.Equal((0f, 100f), (MathF.Round(new MinMaxCalibrator().Range(s).Lo, 3), new MinMaxCalibrator().Range(s).Hi));
    }
}
