using Host.Tools.Evaluation;

namespace Host.Tools.Training;

/// <summary>Per-class pixel counts of a labelled set, and the pixel count of the images in which each class occurs (median frequency).</summary>
public sealed class ClassFrequencies
{
    public ClassFrequencies(long[] pixelCounts, long[] imagePixelCounts)
    {
        if (pixelCounts.Length != imagePixelCounts.Length)
        {
            throw new ArgumentException($"Class counts: {pixelCounts.Length} pixel counts but {imagePixelCounts.Length} image pixel counts.");
        }

        PixelCounts = pixelCounts;
        ImagePixelCounts = imagePixelCounts;
    }

    public long[] PixelCounts { get; }

    /// <summary>For class c: the total pixels of the images that contain c.</summary>
    public long[] ImagePixelCounts { get; }

    public int Classes => PixelCounts.Length;

    /// <summary>Counts the mapped labels of every sample at full resolution (ignored pixels excluded).</summary>
    public static ClassFrequencies Count(TrainingDataset dataset)
    {
        var pixels = new long[dataset.NumClasses];
        var imagePixels = new long[dataset.NumClasses];
        var perImage = new long[dataset.NumClasses];
        foreach (var sample in dataset.Samples)
        {
            if (sample.LabelPath is null)
            {
                throw new InvalidDataException($"Class weights need labels: '{sample.ImagePath}' has none.");
            }

            var label = LabelImage.Load(sample.LabelPath);
            Array.Clear(perImage);
            foreach (var v in label.Pixels)
            {
                var c = dataset.LabelMap[v];
                if (c < perImage.Length)
                {
                    perImage[c]++;
                }
            }

            for (var c = 0; c < perImage.Length; c++)
            {
                pixels[c] += perImage[c];
                if (perImage[c] > 0)
                {
                    imagePixels[c] += label.Pixels.Length;
                }
            }
        }

        return new ClassFrequencies(pixels, imagePixels);
    }
}
