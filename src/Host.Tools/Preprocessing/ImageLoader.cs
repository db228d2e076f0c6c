using OpenCvSharp;

namespace Host.Tools.Preprocessing;

/// <summary>Decodes image files (png, jpg, webp, ...) with OpenCV into 8-bit RGB HWC, matching PIL <c>convert('RGB')</c>.</summary>
public static class ImageLoader
{
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file exists but OpenCV cannot decode it.</exception>
    public static RgbImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Image file not found: '{path}'.", path);
        }

        using var bgr = Cv2.ImRead(path, ImreadModes.Color);
        if (bgr.Empty())
        {
            throw new InvalidDataException($"Cannot decode image file '{path}': not a readable png/jpg/webp image (OpenCV returned an empty image).");
        }

        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        return ToRgbImage(rgb, path);
    }

    /// <summary>Copies a CV_8UC3 RGB <see cref="Mat"/> into an <see cref="RgbImage"/>.</summary>
    public static unsafe RgbImage ToRgbImage(Mat rgb, string description)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Type() != MatType.CV_8UC3)
        {
            throw new InvalidDataException($"Image '{description}': expected 8-bit 3-channel pixels (CV_8UC3), got {rgb.Type()}.");
        }

        var width = rgb.Width;
        var height = rgb.Height;
        var rowBytes = width * 3;
        var pixels = new byte[rowBytes * height];
        var stride = (long)rgb.Step();
        var basePtr = (byte*)rgb.Data;
        for (var y = 0; y < height; y++)
        {
            new ReadOnlySpan<byte>(basePtr + (y * stride), rowBytes).CopyTo(pixels.AsSpan(y * rowBytes, rowBytes));
        }

        return new RgbImage(width, height, pixels);
    }
}
