using OpenCvSharp;

namespace Host.Tools.Evaluation;

/// <summary>An 8-bit single-channel label image (mask or class-index map), row-major.</summary>
public sealed class LabelImage
{
    public LabelImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != width * height)
        {
            throw new ArgumentException($"Label buffer length: expected {width * height} ({height}x{width}), got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>Reads an 8-bit grayscale PNG (as PIL <c>Image.open</c> + <c>np.array</c> of an "L" image).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not decodable, or not 8-bit single-channel.</exception>
    public static unsafe LabelImage Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Label mask not found: '{path}'.", path);
        }

        using var mat = Cv2.ImRead(path, ImreadModes.Unchanged);
        if (mat.Empty())
        {
            throw new InvalidDataException($"Cannot decode label mask '{path}': not a readable image.");
        }

        if (mat.Type() != MatType.CV_8UC1)
        {
            throw new InvalidDataException($"Label mask '{path}': expected an 8-bit single-channel (grayscale) image, got {mat.Type()} ({mat.Channels()} channels).");
        }

        var width = mat.Width;
        var height = mat.Height;
        var pixels = new byte[width * height];
        var stride = (long)mat.Step();
        var basePtr = (byte*)mat.Data;
        for (var y = 0; y < height; y++)
        {
            new ReadOnlySpan<byte>(basePtr + (y * stride), width).CopyTo(pixels.AsSpan(y * width, width));
        }

        return new LabelImage(width, height, pixels);
    }

    /// <summary>Pillow-exact NEAREST resize, then every value mapped through <paramref name="lut"/> (256 entries).</summary>
    public byte[] ResizeNearest(int width, int height, ReadOnlySpan<byte> lut)
    {
        if (lut.Length != 256)
        {
            throw new ArgumentException($"Lookup table must have 256 entries, got {lut.Length}.", nameof(lut));
        }

        var resized = Host.Tools.Preprocessing.PillowResize.Nearest(Pixels, Width, Height, 1, width, height);
        for (var i = 0; i < resized.Length; i++)
        {
            resized[i] = lut[resized[i]];
        }

        return resized;
    }
}
