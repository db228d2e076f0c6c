using Host.Tools.Preprocessing;

namespace Host.Tools.Tests.Preprocessing;

public sealed class PillowResizeTests
{
    [Theory]
    [InlineData(4, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 5)]
    [InlineData(5, 3)]
    [InlineData(7, 2)]
    [InlineData(1, 3)]
    public void Single_row_resize_matches_formula_computed_with_doubles(int inWidth, int outWidth)
    {
        byte[] row = [.. Enumerable.Range(0, inWidth).Select(i => (byte)((i * 97 + 13) % 256))];

        var actual = PillowResize.Bilinear(row, inWidth, 1, 1, outWidth, 1);

        var expected = ReferenceRow(row, outWidth);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Shrinking_4_to_2_averages_with_stretched_triangle_weights()
    {
        // scale 2, support 2: out[0] reads in[0..2] with weights 0.75, 0.75, 0.25 (normalised by 1.75),
        // out[1] reads in[1..3] with 0.25, 0.75, 0.75.
        byte[] row = [0, 70, 140, 210];

        var actual = PillowResize.Bilinear(row, 4, 1, 1, 2, 1);

        Assert.Equal((byte)Math.Round(((0.75 * 0) + (0.75 * 70) + (0.25 * 140)) / 1.75), actual[0]);
        Assert.Equal((byte)Math.Round(((0.25 * 70) + (0.75 * 140) + (0.75 * 210)) / 1.75), actual[1]);
    }

    [Fact]
    public void Enlarging_2_to_4_interpolates_and_clamps_at_edges()
    {
        byte[] row = [100, 200];

        var actual = PillowResize.Bilinear(row, 2, 1, 1, 4, 1);

        // centers 0.25, 0.75, 1.25, 1.75: weights (1 - |j + 0.5 - c|) over the taps that exist.
        Assert.Equal([100, 125, 175, 200], actual);
    }

    [Fact]
    public void Weights_sum_to_one_in_fixed_point_and_stay_within_kernel()
    {
        foreach (var (inSize, outSize) in new[] { (1920, 1024), (1080, 512), (480, 1024), (360, 512), (2048, 1024), (3, 5) })
        {
            var axis = ResampleAxis.Bilinear(inSize, outSize);
            for (var i = 0; i < outSize; i++)
            {
                var taps = axis.Weights.Slice(i * axis.KernelSize, axis.Count[i]);
                var sum = 0;
                foreach (var w in taps)
                {
                    sum += w;
                }

                Assert.InRange(sum, (1 << 22) - axis.Count[i], (1 << 22) + axis.Count[i]);
                Assert.InRange(axis.Start[i] + axis.Count[i], 1, inSize);
            }
        }
    }

    [Theory]
    [InlineData(37, 23, 16, 11, 3)]
    [InlineData(19, 31, 40, 9, 3)]
    [InlineData(300, 200, 256, 128, 3)]
    [InlineData(64, 48, 64, 20, 3)]
    [InlineData(50, 48, 20, 48, 1)]
    [InlineData(33, 21, 47, 35, 2)]
    public void Image_resize_matches_naive_separable_reference(int inW, int inH, int outW, int outH, int channels)
    {
        var random = new Random(inW * 1000 + outW);
        var source = new byte[inW * inH * channels];
        random.NextBytes(source);

        var actual = PillowResize.Bilinear(source, inW, inH, channels, outW, outH);

        var expected = NaiveSeparable(source, inW, inH, channels, outW, outH);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Same_size_resize_copies_input()
    {
        var source = new byte[5 * 4 * 3];
        new Random(3).NextBytes(source);

        Assert.Equal(source, PillowResize.Bilinear(source, 5, 4, 3, 5, 4));
    }

    [Theory]
    [InlineData(10, 4)]
    [InlineData(4, 10)]
    [InlineData(2048, 1024)]
    [InlineData(720, 512)]
    [InlineData(7, 3)]
    public void Nearest_picks_int_of_half_offset_center(int inSize, int outSize)
    {
        var indices = new int[outSize];

        PillowResize.NearestIndices(inSize, outSize, indices);

        for (var i = 0; i < outSize; i++)
        {
            // Pillow accumulates the position (pos += scale) in doubles, so where (i + 0.5) * scale is exactly an
            // integer n the accumulated value may land just below it and pick n - 1; everywhere else it is int().
            var exact = (i + 0.5) * inSize / outSize;
            var nearestInteger = Math.Round(exact);
            if (Math.Abs(exact - nearestInteger) < 1e-9)
            {
                Assert.InRange(indices[i], (int)nearestInteger - 1, (int)nearestInteger);
            }
            else
            {
                Assert.Equal((int)exact, indices[i]);
            }
        }
    }

    [Fact]
    public void Nearest_accumulates_position_like_pillow()
    {
        // 4 -> 10: scale 0.4; 0.2 + 7 * 0.4 accumulated in doubles is 2.9999999999999996, so Pillow picks 2.
        var indices = new int[10];

        PillowResize.NearestIndices(4, 10, indices);

        var position = 0.2;
        for (var i = 0; i < 7; i++)
        {
            position += 0.4;
        }

        Assert.Equal((int)position, indices[7]);
        Assert.Equal(2, indices[7]);
    }

    [Fact]
    public void Nearest_mask_resize_keeps_label_values()
    {
        // 4x2 mask, labels per column 0,1,2,255 -> 2 wide: columns int(0.5*2)=1 and int(1.5*2)=3.
        byte[] mask = [0, 1, 2, 255, 0, 1, 2, 255];

        var actual = PillowResize.Nearest(mask, 4, 2, 1, 2, 1);

        Assert.Equal([1, 255], actual);
    }

    private static byte[] ReferenceRow(byte[] row, int outSize)
    {
        var result = new byte[outSize];
        var taps = ReferenceTaps(row.Length, outSize);
        for (var i = 0; i < outSize; i++)
        {
            long acc = 1L << 21;
            foreach (var (index, weight) in taps[i])
            {
                acc += row[index] * weight;
            }

            result[i] = (byte)Math.Clamp(acc >> 22, 0, 255);
        }

        // Cross-check against plain double arithmetic: fixed point may differ by at most one level.
        var doubleTaps = ReferenceDoubleWeights(row.Length, outSize);
        for (var i = 0; i < outSize; i++)
        {
            var value = doubleTaps[i].Sum(t => row[t.Index] * t.Weight);
            Assert.InRange(result[i], Math.Floor(value) - 1, Math.Ceiling(value) + 1);
        }

        return result;
    }

    /// <summary>Independent statement of the formula in preprocessing.md, in doubles, then 22-bit fixed point.</summary>
    private static List<(int Index, long Weight)>[] ReferenceTaps(int inSize, int outSize) =>
        [.. ReferenceDoubleWeights(inSize, outSize).Select(list => list
            .Select(t => (t.Index, (long)Math.Round(t.Weight * 4194304.0, MidpointRounding.AwayFromZero)))
            .ToList())];

    private static List<(int Index, double Weight)>[] ReferenceDoubleWeights(int inSize, int outSize)
    {
        var scale = inSize / (double)outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterScale;
        var result = new List<(int, double)>[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var center = (i + 0.5) * scale;
            var xmin = Math.Max((int)Math.Truncate(center - support + 0.5), 0);
            var xmax = Math.Min((int)Math.Truncate(center + support + 0.5), inSize);
            var raw = new List<(int Index, double Weight)>();
            for (var j = xmin; j < xmax; j++)
            {
                raw.Add((j, Math.Max(0.0, 1.0 - Math.Abs((j - center + 0.5) / filterScale))));
            }

            var total = raw.Sum(t => t.Weight);
            result[i] = [.. raw.Select(t => (t.Index, t.Weight / total))];
        }

        return result;
    }

    private static byte[] NaiveSeparable(byte[] source, int inW, int inH, int channels, int outW, int outH)
    {
        var horizontal = source;
        var width = inW;
        if (inW != outW)
        {
            var taps = ReferenceTaps(inW, outW);
            horizontal = new byte[outW * inH * channels];
            for (var y = 0; y < inH; y++)
            {
                for (var x = 0; x < outW; x++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        long acc = 1L << 21;
                        foreach (var (index, weight) in taps[x])
                        {
                            acc += source[((y * inW) + index) * channels + c] * weight;
                        }

                        horizontal[((y * outW) + x) * channels + c] = (byte)Math.Clamp(acc >> 22, 0, 255);
                    }
                }
            }

            width = outW;
        }

        if (inH == outH)
        {
            return horizontal;
        }

        var vtaps = ReferenceTaps(inH, outH);
        var result = new byte[width * outH * channels];
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < width * channels; x++)
            {
                long acc = 1L << 21;
                foreach (var (index, weight) in vtaps[y])
                {
                    acc += horizontal[(index * width * channels) + x] * weight;
                }

                result[(y * width * channels) + x] = (byte)Math.Clamp(acc >> 22, 0, 255);
            }
        }

        return result;
    }
}
