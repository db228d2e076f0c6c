using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>
/// <c>Cv2.Dilate</c> of a binary 8-bit mask (0 / nonzero) with OpenCV's elliptical structuring element of side
/// <c>2·radius + 1</c>, in two vectorised steps: (1) per source row, the horizontal distance to the nearest set pixel
/// (bytes, saturating at 255; set runs are found with vectorised searches and only the <c>radius</c> pixels beside each
/// run are written, with <c>TensorPrimitives.Min</c> over a ramp); (2) per output row, the OR over the kernel rows dy of
/// <c>distance[y + dy] &lt;= halfWidth(dy)</c>, the half-widths read from <c>Cv2.GetStructuringElement</c> itself, rows
/// without set pixels skipped. Same pixels as OpenCV's dilation with its default constant border (outside the image
/// counts as unset); set output pixels are 255. A 51x51 ellipse costs ~51 byte-vector passes per row instead of
/// OpenCV's ~2,000 kernel points per pixel. Radii above 254 use <c>Cv2.Dilate</c>. Not thread-safe.
/// </summary>
public sealed class EllipseDilation : IDisposable
{
    /// <summary>Largest radius the byte distances can express (255 = "farther than any kernel row reaches").</summary>
    public const int MaxRadius = 254;

    private readonly Mat _kernel;
    private readonly int _radius;

    /// <summary>Per kernel row i (dy = i − radius): the half-width of the row, −1 for an empty row.</summary>
    private readonly byte[] _halfWidth;
    private readonly bool[] _emptyRow;
    private readonly byte[] _rampDown;
    private readonly byte[] _rampUp;
    private byte[] _distance = [];
    private bool[] _rowHasRuns = [];

    public EllipseDilation(int radius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(radius, 1);
        _radius = radius;
        var side = (2 * radius) + 1;
        _kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(side, side));
        _halfWidth = new byte[side];
        _emptyRow = new bool[side];
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

            // OpenCV's ellipse rows are symmetric about the centre anchor: columns [radius − w, radius + w].
            if (first >= 0 && (radius - first != last - radius))
            {
                throw new InvalidOperationException($"Ellipse kernel row {i} of radius {radius} is not symmetric ({first}..{last}).");
            }

            _emptyRow[i] = first < 0;
            _halfWidth[i] = first < 0 ? (byte)0 : (byte)Math.Min(radius - first, 255);
        }

        var ramp = Math.Min(radius, MaxRadius);
        _rampDown = new byte[ramp];
        _rampUp = new byte[ramp];
        for (var k = 0; k < ramp; k++)
        {
            _rampDown[k] = (byte)(ramp - k);
            _rampUp[k] = (byte)(k + 1);
        }
    }

    public int Radius => _radius;

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

        if (_radius > MaxRadius)
        {
            ApplyOpenCv(source, destination, width, height);
            return;
        }

        if (_distance.Length != pixels)
        {
            _distance = new byte[pixels];
        }

        if (_rowHasRuns.Length != height)
        {
            _rowHasRuns = new bool[height];
        }

        for (var y = 0; y < height; y++)
        {
            _rowHasRuns[y] = RowDistance(source.Slice(y * width, width), _distance.AsSpan(y * width, width));
        }

        for (var y = 0; y < height; y++)
        {
            var output = destination.Slice(y * width, width);
            output.Clear();
            var top = Math.Max(0, y - _radius);
            var bottom = Math.Min(height - 1, y + _radius);
            for (var row = top; row <= bottom; row++)
            {
                var i = row - y + _radius;
                if (_rowHasRuns[row] && !_emptyRow[i])
                {
                    OrWithin(_distance.AsSpan(row * width, width), _halfWidth[i], output);
                }
            }
        }
    }

    public void Dispose() => _kernel.Dispose();

    /// <summary>output[x] |= 255 where distance[x] &lt;= limit.</summary>
    private static void OrWithin(ReadOnlySpan<byte> distance, byte limit, Span<byte> output)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var bound = new Vector<byte>(limit);
            var d = MemoryMarshal.Cast<byte, Vector<byte>>(distance);
            var o = MemoryMarshal.Cast<byte, Vector<byte>>(output);
            for (var k = 0; k < d.Length; k++)
            {
                o[k] |= Vector.LessThanOrEqual(d[k], bound);
            }

            x = d.Length * Vector<byte>.Count;
        }

        for (; x < distance.Length; x++)
        {
            if (distance[x] <= limit)
            {
                output[x] = 255;
            }
        }
    }

    /// <summary>
    /// distance[x] = |x − nearest nonzero source pixel of the row|, saturated at 255 (pixels farther than the radius all
    /// read 255); returns false for a row without nonzero pixels.
    /// </summary>
    private bool RowDistance(ReadOnlySpan<byte> row, Span<byte> distance)
    {
        var width = row.Length;
        var start = row.IndexOfAnyExcept((byte)0);
        distance.Fill(255);
        if (start < 0)
        {
            return false;
        }

        var reach = _rampDown.Length;
        while (start >= 0)
        {
            var length = row[start..].IndexOf((byte)0);
            var end = length < 0 ? width : start + length;
            distance[start..end].Clear();
            var left = Math.Max(0, start - reach);
            if (left < start)
            {
                var span = distance[left..start];
                TensorPrimitives.Min(span, _rampDown.AsSpan(reach - span.Length), span);
            }

            var right = Math.Min(width, end + reach);
            if (end < right)
            {
                var span = distance[end..right];
                TensorPrimitives.Min(span, _rampUp.AsSpan(0, span.Length), span);
            }

            if (end >= width)
            {
                break;
            }

            var next = row[end..].IndexOfAnyExcept((byte)0);
            start = next < 0 ? -1 : end + next;
        }

        return true;
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
