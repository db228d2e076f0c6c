namespace Host.Tools.Preprocessing;

/// <summary>
/// The paper's input pipeline: RGB 8-bit → Pillow bilinear resize to (Height, Width) → float32 CHW value / 255
/// (torchvision <c>Resize((H, W), BILINEAR)</c> + <c>ToTensor()</c>, no mean/std normalisation).
/// Reuses its resizer and intermediate buffers while the source size stays the same. Not thread-safe.
/// </summary>
public sealed class PaperPreprocessor
{
    /// <summary>byte → byte / 255f, the exact float32 values of ToTensor's division.</summary>
    private static readonly float[] UnitScale = [.. Enumerable.Range(0, 256).Select(v => v / 255f)];

    private readonly byte[] _resized;
    private PillowBilinearResizer? _resizer;

    public PaperPreprocessor(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Height = height;
        Width = width;
        _resized = new byte[height * width * 3];
    }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Number of floats written: 3 * Height * Width.</summary>
    public int TensorLength => 3 * Height * Width;

    /// <summary>Loads <paramref name="imagePath"/> (<see cref="ImageLoader"/>) into a new tensor of <see cref="TensorLength"/> floats.</summary>
    public float[] ProcessFile(string imagePath)
    {
        var chw = new float[TensorLength];
        Process(ImageLoader.Load(imagePath), chw);
        return chw;
    }

    public void Process(RgbImage image, Span<float> chw)
    {
        ArgumentNullException.ThrowIfNull(image);
        Process(image.Pixels, image.Width, image.Height, chw);
    }

    /// <summary>Preprocesses RGB HWC bytes of a <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/> image into <paramref name="chw"/>.</summary>
    public void Process(ReadOnlySpan<byte> rgb, int sourceWidth, int sourceHeight, Span<float> chw)
    {
        if (chw.Length < TensorLength)
        {
            throw new ArgumentException($"Output tensor too small: expected at least {TensorLength} floats (3x{Height}x{Width}), got {chw.Length}.", nameof(chw));
        }

        if (_resizer is null || _resizer.SourceWidth != sourceWidth || _resizer.SourceHeight != sourceHeight)
        {
            _resizer = new PillowBilinearResizer(sourceWidth, sourceHeight, Width, Height, 3);
        }

        _resizer.Resize(rgb, _resized);
        ToChwUnit(_resized, chw, Height * Width);
    }

    /// <summary>HWC RGB bytes → CHW float32 <c>value / 255f</c> (exactly torchvision's ToTensor division).</summary>
    public static void ToChwUnit(ReadOnlySpan<byte> hwc, Span<float> chw, int pixelCount)
    {
        if (hwc.Length < pixelCount * 3 || chw.Length < pixelCount * 3)
        {
            throw new ArgumentException($"Buffers too small for {pixelCount} RGB pixels: hwc {hwc.Length}, chw {chw.Length}, expected {pixelCount * 3}.");
        }

        var lut = UnitScale.AsSpan();
        var r = chw[..pixelCount];
        var g = chw.Slice(pixelCount, pixelCount);
        var b = chw.Slice(2 * pixelCount, pixelCount);
        for (int i = 0, j = 0; i < pixelCount; i++, j += 3)
        {
            r[i] = lut[hwc[j]];
            g[i] = lut[hwc[j + 1]];
            b[i] = lut[hwc[j + 2]];
        }
    }
}
