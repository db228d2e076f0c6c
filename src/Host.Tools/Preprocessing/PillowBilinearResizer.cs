namespace Host.Tools.Preprocessing;

/// <summary>
/// Bit-exact re-implementation of Pillow 9.4 <c>Image.resize((W, H), BILINEAR)</c> for 8-bit interleaved images
/// (e.g. RGB HWC). Separable: horizontal pass first, then vertical; each pass stores rounded, clipped 8-bit values.
/// A pass is skipped when its axis keeps its size. Coefficient tables and the intermediate buffer are allocated once;
/// <see cref="Resize"/> then works on caller-provided buffers.
/// </summary>
public sealed class PillowBilinearResizer
{
    private const int Half = 1 << (ResampleAxis.PrecisionBits - 1);
    private const int ParallelThresholdValues = 1 << 15;

    private readonly ResampleAxis _horizontal;
    private readonly ResampleAxis _vertical;
    private readonly byte[] _intermediate;
    private readonly int _firstRow;
    private readonly int _rowCount;
    private readonly ParallelOptions _parallel;

    public PillowBilinearResizer(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight, int channels, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
        Channels = channels;
        _horizontal = ResampleAxis.Bilinear(sourceWidth, targetWidth);
        _vertical = ResampleAxis.Bilinear(sourceHeight, targetHeight);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };

        if (ResizesHorizontally && ResizesVertically)
        {
            // Only the source rows the vertical pass reads need the horizontal pass.
            var last = targetHeight - 1;
            _firstRow = _vertical.Start[0];
            _rowCount = _vertical.Start[last] + _vertical.Count[last] - _firstRow;
            _intermediate = new byte[_rowCount * targetWidth * channels];
        }
        else
        {
            _firstRow = 0;
            _rowCount = sourceHeight;
            _intermediate = [];
        }
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public int TargetWidth { get; }

    public int TargetHeight { get; }

    public int Channels { get; }

    public bool ResizesHorizontally => SourceWidth != TargetWidth;

    public bool ResizesVertically => SourceHeight != TargetHeight;

    /// <summary>Resizes <paramref name="source"/> (SourceHeight x SourceWidth x Channels) into <paramref name="target"/> (TargetHeight x TargetWidth x Channels).</summary>
    public unsafe void Resize(ReadOnlySpan<byte> source, Span<byte> target)
    {
        var sourceLength = SourceWidth * SourceHeight * Channels;
        var targetLength = TargetWidth * TargetHeight * Channels;
        if (source.Length < sourceLength)
        {
            throw new ArgumentException($"Source buffer too small: expected at least {sourceLength} bytes ({SourceHeight}x{SourceWidth}x{Channels}), got {source.Length}.", nameof(source));
        }

        if (target.Length < targetLength)
        {
            throw new ArgumentException($"Target buffer too small: expected at least {targetLength} bytes ({TargetHeight}x{TargetWidth}x{Channels}), got {target.Length}.", nameof(target));
        }

        if (!ResizesHorizontally && !ResizesVertically)
        {
            source[..sourceLength].CopyTo(target);
            return;
        }

        fixed (byte* src = source)
        fixed (byte* dst = target)
        fixed (byte* tmp = _intermediate)
        {
            if (ResizesHorizontally && ResizesVertically)
            {
                HorizontalPass((nint)(src + ((long)_firstRow * SourceWidth * Channels)), (nint)tmp, _rowCount);
                VerticalPass((nint)tmp, (nint)dst, _firstRow);
            }
            else if (ResizesHorizontally)
            {
                HorizontalPass((nint)src, (nint)dst, SourceHeight);
            }
            else
            {
                VerticalPass((nint)src, (nint)dst, 0);
            }
        }
    }

    private unsafe void HorizontalPass(nint input, nint output, int rows)
    {
        var inStride = SourceWidth * Channels;
        var outStride = TargetWidth * Channels;
        if ((long)rows * outStride < ParallelThresholdValues)
        {
            for (var y = 0; y < rows; y++)
            {
                HorizontalRow((byte*)input + ((long)y * inStride), (byte*)output + ((long)y * outStride));
            }

            return;
        }

        Parallel.For(0, rows, _parallel, y => HorizontalRow((byte*)input + ((long)y * inStride), (byte*)output + ((long)y * outStride)));
    }

    private unsafe void VerticalPass(nint input, nint output, int rowOffset)
    {
        var outStride = TargetWidth * Channels;
        if ((long)TargetHeight * outStride < ParallelThresholdValues)
        {
            for (var y = 0; y < TargetHeight; y++)
            {
                VerticalRow((byte*)input, (byte*)output + ((long)y * outStride), y, rowOffset);
            }

            return;
        }

        Parallel.For(0, TargetHeight, _parallel, y => VerticalRow((byte*)input, (byte*)output + ((long)y * outStride), y, rowOffset));
    }

    private unsafe void HorizontalRow(byte* inRow, byte* outRow)
    {
        var starts = _horizontal.Start;
        var counts = _horizontal.Count;
        var weights = _horizontal.Weights;
        var kernelSize = _horizontal.KernelSize;
        var channels = Channels;

        if (channels == 3)
        {
            for (var x = 0; x < TargetWidth; x++)
            {
                var k = weights.Slice(x * kernelSize, counts[x]);
                var p = inRow + (starts[x] * 3);
                int s0 = Half, s1 = Half, s2 = Half;
                for (var j = 0; j < k.Length; j++, p += 3)
                {
                    var w = k[j];
                    s0 += p[0] * w;
                    s1 += p[1] * w;
                    s2 += p[2] * w;
                }

                var o = outRow + (x * 3);
                o[0] = Clip8(s0);
                o[1] = Clip8(s1);
                o[2] = Clip8(s2);
            }

            return;
        }

        for (var x = 0; x < TargetWidth; x++)
        {
            var k = weights.Slice(x * kernelSize, counts[x]);
            for (var c = 0; c < channels; c++)
            {
                var p = inRow + (starts[x] * channels) + c;
                var s = Half;
                for (var j = 0; j < k.Length; j++, p += channels)
                {
                    s += *p * k[j];
                }

                outRow[(x * channels) + c] = Clip8(s);
            }
        }
    }

    private unsafe void VerticalRow(byte* input, byte* outRow, int y, int rowOffset)
    {
        var stride = TargetWidth * Channels;
        var k = _vertical.Weights.Slice(y * _vertical.KernelSize, _vertical.Count[y]);
        var first = input + ((long)(_vertical.Start[y] - rowOffset) * stride);

        // Row-wise accumulation (tap outer, column inner) reads each source row sequentially.
        const int chunk = 1024;
        var accumulator = stackalloc int[chunk];
        for (var x0 = 0; x0 < stride; x0 += chunk)
        {
            var n = Math.Min(chunk, stride - x0);
            var acc = new Span<int>(accumulator, n);
            acc.Fill(Half);
            for (var j = 0; j < k.Length; j++)
            {
                var w = k[j];
                var row = first + ((long)j * stride) + x0;
                for (var x = 0; x < n; x++)
                {
                    acc[x] += row[x] * w;
                }
            }

            var o = outRow + x0;
            for (var x = 0; x < n; x++)
            {
                o[x] = Clip8(acc[x]);
            }
        }
    }

    private static byte Clip8(int value)
    {
        var shifted = value >> ResampleAxis.PrecisionBits;
        return shifted <= 0 ? (byte)0 : shifted >= 255 ? (byte)255 : (byte)shifted;
    }
}
