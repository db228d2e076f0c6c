using OpenCvSharp;

namespace Edge.Runtime.Preprocessing;

/// <summary>
/// The live-camera input path: BGR 8-bit frame → OpenCV resize to the model input (INTER_AREA when shrinking both
/// axes, INTER_LINEAR otherwise) → RGB → float32 CHW value / 255. Intermediate Mats are allocated once and reused,
/// so a frame costs no managed or native allocation. Not thread-safe.
/// </summary>
public sealed class CameraPreprocessor : IDisposable
{
    private readonly Mat _resized;
    private readonly Mat _rgb;
    private readonly byte[] _rgbBytes;

    public CameraPreprocessor(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Height = height;
        Width = width;
        _resized = new Mat(height, width, MatType.CV_8UC3);
        _rgbBytes = GC.AllocateArray<byte>(height * width * 3, pinned: true);
        _rgb = Mat.FromPixelData(height, width, MatType.CV_8UC3, _rgbBytes);
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

        if (bgr.Width == Width && bgr.Height == Height)
        {
            Cv2.CvtColor(bgr, _rgb, ColorConversionCodes.BGR2RGB);
        }
        else
        {
            var shrinking = bgr.Width > Width && bgr.Height > Height;
            Cv2.Resize(bgr, _resized, new Size(Width, Height), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
            Cv2.CvtColor(_resized, _rgb, ColorConversionCodes.BGR2RGB);
        }

        PaperPreprocessor.ToChwUnit(_rgbBytes, chw, Height * Width);
    }

    public void Dispose()
    {
        _rgb.Dispose();
        _resized.Dispose();
    }
}
