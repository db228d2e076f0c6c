using Host.Tools.Evaluation;
using Host.Tools.Preprocessing;
using OpenCvSharp;

namespace Host.Tools.Training;

/// <summary>
/// Decodes a sample (OpenCV), checks its label, and produces a network input of the training size: CHW floats /255
/// (no mean/std, the paper's protocol) and class indices (or <see cref="TrainingDataset.IgnoreIndex"/>).
/// Training samples are augmented (<see cref="AugmentationSettings"/>) with the caller's seeded RNG; validation
/// samples are resized (bilinear image, nearest label) to the input size.
/// </summary>
public sealed class SampleLoader
{
    private readonly int _height;
    private readonly int _width;
    private readonly AugmentationSettings _augmentation;

    public SampleLoader(int height, int width, AugmentationSettings augmentation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        augmentation.Validate();
        _height = height;
        _width = width;
        _augmentation = augmentation;
    }

    /// <summary>Writes the image into <paramref name="chw"/> (3·H·W) and the labels into <paramref name="labels"/> (H·W, or empty when unlabelled).</summary>
    public void Load(TrainingSample sample, byte[] labelMap, Random? random, Span<float> chw, Span<long> labels)
    {
        var image = ImageLoader.Load(sample.ImagePath);
        byte[]? label = null;
        if (sample.LabelPath is not null)
        {
            var labelImage = LabelImage.Load(sample.LabelPath);
            if (labelImage.Width != image.Width || labelImage.Height != image.Height)
            {
                throw new InvalidDataException(
                    $"Label '{sample.LabelPath}' is {labelImage.Width}x{labelImage.Height} but its image '{sample.ImagePath}' is {image.Width}x{image.Height}: expected the same size.");
            }

            label = labelImage.Pixels;
        }

        double scale = 1;
        var flip = false;
        if (random is not null)
        {
            scale = _augmentation.ScaleMin + (random.NextDouble() * (_augmentation.ScaleMax - _augmentation.ScaleMin));
            flip = random.NextDouble() < _augmentation.FlipProbability;
        }

        var scaledH = Math.Max(1, (int)Math.Round(_height * scale));
        var scaledW = Math.Max(1, (int)Math.Round(_width * scale));
        var offsetY = random is null ? 0 : random.Next(-Math.Max(0, _height - scaledH), Math.Max(0, scaledH - _height) + 1);
        var offsetX = random is null ? 0 : random.Next(-Math.Max(0, _width - scaledW), Math.Max(0, scaledW - _width) + 1);

        // offset >= 0: crop start inside the scaled image; offset < 0: the scaled image is pasted at -offset (padding).
        var scaledImage = Resize(image.Pixels, image.Width, image.Height, MatType.CV_8UC3, scaledW, scaledH, InterpolationFlags.Linear);
        var scaledLabel = label is null ? null : Resize(label, image.Width, image.Height, MatType.CV_8UC1, scaledW, scaledH, InterpolationFlags.Nearest);
        var plane = _height * _width;
        chw[..(3 * plane)].Clear();
        if (!labels.IsEmpty)
        {
            labels[..plane].Fill(TrainingDataset.IgnoreIndex);
        }

        for (var y = 0; y < _height; y++)
        {
            var sy = y + offsetY;
            if (sy < 0 || sy >= scaledH)
            {
                continue;
            }

            for (var x = 0; x < _width; x++)
            {
                var tx = flip ? _width - 1 - x : x;
                var sx = tx + offsetX;
                if (sx < 0 || sx >= scaledW)
                {
                    continue;
                }

                var src = (sy * scaledW) + sx;
                var dst = (y * _width) + x;
                chw[dst] = scaledImage[src * 3] / 255f;
                chw[plane + dst] = scaledImage[(src * 3) + 1] / 255f;
                chw[(2 * plane) + dst] = scaledImage[(src * 3) + 2] / 255f;
                if (scaledLabel is not null && !labels.IsEmpty)
                {
                    labels[dst] = labelMap[scaledLabel[src]];
                }
            }
        }
    }

    private static byte[] Resize(byte[] pixels, int width, int height, MatType type, int newWidth, int newHeight, InterpolationFlags interpolation)
    {
        var channels = type.Channels;
        if (width == newWidth && height == newHeight)
        {
            return pixels;
        }

        using var src = Mat.FromPixelData(height, width, type, pixels);
        using var dst = new Mat();
        Cv2.Resize(src, dst, new Size(newWidth, newHeight), 0, 0, interpolation);
        var result = new byte[newWidth * newHeight * channels];
        System.Runtime.InteropServices.Marshal.Copy(dst.Data, result, 0, result.Length); // Resize output is continuous
        return result;
    }
}
