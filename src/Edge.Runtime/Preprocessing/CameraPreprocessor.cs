using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Edge.Runtime.Preprocessing;

/// <summary>
/// The live-camera input path in one pass into the caller's (pinned) input tensor: BGR 8-bit frame → OpenCV resize on
/// uint8 to the model input (INTER_AREA when shrinking both axes, INTER_LINEAR otherwise; skipped when the frame
/// already has the input size) → one SIMD pass that de-interleaves B, G, R, swaps to RGB order and writes float32 CHW
/// <c>value / 255f</c> (the same float as the host tools' Pillow-exact <c>PaperPreprocessor.ToChwUnit</c>). The resize target is allocated
/// once, so a frame costs no managed allocation. Not thread-safe.
/// </summary>
public sealed class CameraPreprocessor : IDisposable
{
    private const int PixelsPerStep = 16;

    private readonly Mat _resized;

    public CameraPreprocessor(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Height = height;
        Width = width;
        _resized = new Mat(height, width, MatType.CV_8UC3);
    }

    public int Height { get; }

    public int Width { get; }

    public int TensorLength => 3 * Height * Width;

    /// <summary>Writes the network input for <paramref name="bgr"/> (CV_8UC3) into <paramref name="chw"/>.</summary>
    public void Process(Mat bgr, Span<float> chw)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Camera frame: expected a non-empty CV_8UC3 BGR image, got {(bgr.Empty() ? "an empty image" : bgr.Type().ToString())}.", nameof(bgr));
        }

        if (chw.Length < TensorLength)
        {
            throw new ArgumentException($"Output tensor too small: expected at least {TensorLength} floats (3x{Height}x{Width}), got {chw.Length}.", nameof(chw));
        }

        var source = bgr;
        if (bgr.Width != Width || bgr.Height != Height)
        {
            ResizeTo(bgr, _resized, Width, Height);
            source = _resized;
        }

        var planeSize = Height * Width;
        for (var y = 0; y < Height; y++)
        {
            var offset = y * Width;
            BgrRowToPlanes(RowOf(source, y), chw.Slice(offset, Width), chw.Slice(planeSize + offset, Width), chw.Slice((2 * planeSize) + offset, Width));
        }
    }

    /// <summary>
    /// Resizes <paramref name="bgr"/> to the model input size the way <see cref="Process"/> does (INTER_AREA when
    /// shrinking both axes, INTER_LINEAR otherwise), e.g. on the capture thread, so that <see cref="Process"/> then only
    /// converts (it skips the resize of a frame that already has the input size).
    /// </summary>
    public static void ResizeTo(Mat bgr, Mat resized, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(resized);
        var shrinking = bgr.Width > width && bgr.Height > height;
        Cv2.Resize(bgr, resized, new Size(width, height), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
    }

    /// <summary>
    /// One row of interleaved BGR bytes → the R, G and B planes as <c>value / 255f</c>: 16 pixels per step (three
    /// 16-byte loads, byte shuffles to de-interleave, widening to float, IEEE division), scalar tail.
    /// </summary>
    public static void BgrRowToPlanes(ReadOnlySpan<byte> bgr, Span<float> r, Span<float> g, Span<float> b)
    {
        var width = r.Length;
        if (bgr.Length < width * 3 || g.Length < width || b.Length < width)
        {
            throw new ArgumentException($"BGR row: expected {width * 3} bytes and three planes of {width} floats, got {bgr.Length} bytes and planes of {r.Length}, {g.Length}, {b.Length}.");
        }

        var x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var scale = Vector128.Create(255f);
            for (; x <= width - PixelsPerStep; x += PixelsPerStep)
            {
                var pixels = bgr.Slice(x * 3, PixelsPerStep * 3);
                var v0 = Vector128.Create(pixels[..16]);
                var v1 = Vector128.Create(pixels.Slice(16, 16));
                var v2 = Vector128.Create(pixels.Slice(32, 16));
                var blue = Vector128.Shuffle(v0, Vector128.Create((byte)0, 3, 6, 9, 12, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))
                    | Vector128.Shuffle(v1, Vector128.Create((byte)255, 255, 255, 255, 255, 255, 2, 5, 8, 11, 14, 255, 255, 255, 255, 255))
                    | Vector128.Shuffle(v2, Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 4, 7, 10, 13));
                var green = Vector128.Shuffle(v0, Vector128.Create((byte)1, 4, 7, 10, 13, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))
                    | Vector128.Shuffle(v1, Vector128.Create((byte)255, 255, 255, 255, 255, 0, 3, 6, 9, 12, 15, 255, 255, 255, 255, 255))
                    | Vector128.Shuffle(v2, Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 2, 5, 8, 11, 14));
                var red = Vector128.Shuffle(v0, Vector128.Create((byte)2, 5, 8, 11, 14, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))
                    | Vector128.Shuffle(v1, Vector128.Create((byte)255, 255, 255, 255, 255, 1, 4, 7, 10, 13, 255, 255, 255, 255, 255, 255))
                    | Vector128.Shuffle(v2, Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 3, 6, 9, 12, 15));
                Store(red, scale, r.Slice(x, PixelsPerStep));
                Store(green, scale, g.Slice(x, PixelsPerStep));
                Store(blue, scale, b.Slice(x, PixelsPerStep));
            }
        }

        for (; x < width; x++)
        {
            b[x] = bgr[x * 3] / 255f;
            g[x] = bgr[(x * 3) + 1] / 255f;
            r[x] = bgr[(x * 3) + 2] / 255f;
        }
    }

    public void Dispose() => _resized.Dispose();

    private static unsafe ReadOnlySpan<byte> RowOf(Mat image, int y) => new((void*)image.Ptr(y), image.Width * 3);

    /// <summary>16 bytes → 16 floats <c>value / 255f</c>.</summary>
    private static void Store(Vector128<byte> bytes, Vector128<float> scale, Span<float> output)
    {
        var (low, high) = Vector128.Widen(bytes);
        var (a, b) = Vector128.Widen(low);
        var (c, d) = Vector128.Widen(high);
        (Vector128.ConvertToSingle(a.AsInt32()) / scale).CopyTo(output);
        (Vector128.ConvertToSingle(b.AsInt32()) / scale).CopyTo(output[4..]);
        (Vector128.ConvertToSingle(c.AsInt32()) / scale).CopyTo(output[8..]);
        (Vector128.ConvertToSingle(d.AsInt32()) / scale).CopyTo(output[12..]);
    }
}
