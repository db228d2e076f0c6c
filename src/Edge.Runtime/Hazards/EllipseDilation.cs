using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>
/// <c>Cv2.Dilate</c> of a binary 8-bit mask (0 / nonzero) with OpenCV's elliptical structuring element of side
/// <c>2·radius + 1</c>, computed on runs of set pixels: each output row is the union of the source runs within
/// <c>radius</c> rows, each widened by that kernel row's half-widths (read from <c>Cv2.GetStructuringElement</c> itself).
/// Same pixels as OpenCV's dilation with its default constant border (outside the image counts as unset); set output
/// pixels are 255. A road mask has a few runs per row, so a 51x51 ellipse costs a fraction of a millisecond instead of
/// OpenCV's ~2,000 kernel points per pixel; masks with very many runs take <c>Cv2.Dilate</c> instead. Not thread-safe.
/// </summary>
public sealed class EllipseDilation : IDisposable
{
    private readonly Mat _kernel;
    private readonly int _radius;

    /// <summary>Per kernel row: how far a source run grows to the left / right (−1 for an empty row).</summary>
    private readonly int[] _left;
    private readonly int[] _right;
    private int[] _runStart = new int[256];
    private int[] _runEnd = new int[256];
    private int[] _rowFirst = [];
    private long[] _intervals = new long[256];

    public EllipseDilation(int radius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(radius, 1);
        _radius = radius;
        var side = (2 * radius) + 1;
        _kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(side, side));
        _left = new int[side];
        _right = new int[side];
        for (var i = 0; i < side; i++)
        {
            int first = -1, last = -1;
            for (var j = 0; j < side; j++)
            {
                if (_kernel.At<byte>(i, j) != 0)
                {
                    first = first < 0 ? j : first;
                    last = j;
                }
            }

            // dst(x, y) = max over kernel points (i, j) of src(x + j − a, y + i − a), a = radius (the centre anchor):
            // a run [s, e) of source row y + i − a covers dst columns [s − (last − a), e + (a − first)).
            _left[i] = first < 0 ? -1 : last - radius;
            _right[i] = first < 0 ? -1 : radius - first;
        }
    }

    public int Radius => _radius;

    /// <summary>The structuring element (for callers that want OpenCV's own dilation).</summary>
    public Mat Kernel => _kernel;

    /// <summary>Dilates <paramref name="source"/> (row-major, <paramref name="width"/> x <paramref name="height"/>) into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<byte> source, Span<byte> destination, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var pixels = width * height;
        if (source.Length < pixels || destination.Length < pixels)
        {
            throw new ArgumentException($"Dilation: expected {pixels} source and destination bytes ({width}x{height}), got {source.Length} and {destination.Length}.");
        }

        var runs = FindRuns(source, width, height);
        if ((long)runs * ((2 * _radius) + 1) > pixels)
        {
            ApplyOpenCv(source, destination, width, height);
            return;
        }

        for (var y = 0; y < height; y++)
        {
            var count = 0;
            var top = Math.Max(0, y - _radius);
            var bottom = Math.Min(height - 1, y + _radius);
            for (var row = top; row <= bottom; row++)
            {
                var i = row - y + _radius;
                if (_left[i] < 0)
                {
                    continue;
                }

                for (var r = _rowFirst[row]; r < _rowFirst[row + 1]; r++)
                {
                    var start = Math.Max(0, _runStart[r] - _left[i]);
                    var end = Math.Min(width, _runEnd[r] + _right[i]);
                    if (start < end)
                    {
                        if (count == _intervals.Length)
                        {
                            Array.Resize(ref _intervals, count * 2);
                        }

                        _intervals[count++] = ((long)start << 32) | (uint)end;
                    }
                }
            }

            var output = destination.Slice(y * width, width);
            output.Clear();
            if (count == 0)
            {
                continue;
            }

            var intervals = _intervals.AsSpan(0, count);
            intervals.Sort();
            var from = (int)(intervals[0] >> 32);
            var to = (int)(intervals[0] & 0xFFFFFFFF);
            for (var k = 1; k < intervals.Length; k++)
            {
                var s = (int)(intervals[k] >> 32);
                var e = (int)(intervals[k] & 0xFFFFFFFF);
                if (s > to)
                {
                    output[from..to].Fill(255);
                    from = s;
                }

                to = Math.Max(to, e);
            }

            output[from..to].Fill(255);
        }
    }

    public void Dispose() => _kernel.Dispose();

    /// <summary>Runs of nonzero bytes per row into the run buffers; returns the number of runs.</summary>
    private int FindRuns(ReadOnlySpan<byte> source, int width, int height)
    {
        if (_rowFirst.Length != height + 1)
        {
            _rowFirst = new int[height + 1];
        }

        var count = 0;
        for (var y = 0; y < height; y++)
        {
            _rowFirst[y] = count;
            var row = source.Slice(y * width, width);
            var x = 0;
            while (x < width)
            {
                var start = row[x..].IndexOfAnyExcept((byte)0);
                if (start < 0)
                {
                    break;
                }

                start += x;
                var length = row[start..].IndexOf((byte)0);
                var end = length < 0 ? width : start + length;
                if (count == _runStart.Length)
                {
                    Array.Resize(ref _runStart, count * 2);
                    Array.Resize(ref _runEnd, count * 2);
                }

                _runStart[count] = start;
                _runEnd[count] = end;
                count++;
                x = end;
            }
        }

        _rowFirst[height] = count;
        return count;
    }

    private unsafe void ApplyOpenCv(ReadOnlySpan<byte> source, Span<byte> destination, int width, int height)
    {
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            using var input = Mat.FromPixelData(height, width, MatType.CV_8UC1, (nint)src);
            using var output = Mat.FromPixelData(height, width, MatType.CV_8UC1, (nint)dst);
            Cv2.Dilate(input, output, _kernel);
        }
    }
}
