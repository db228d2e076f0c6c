namespace Host.Tools.Training;

/// <summary>
/// Median frequency balancing (Eigen and Fergus, SegNet): freq_c = pixels of c / pixels of the images containing c;
/// w_c = median(freq) / freq_c; classes that never occur get weight 0.
/// </summary>
public sealed class MedianFrequencyWeighting : IClassWeighting
{
    public string Name => "median";

    public float[] Compute(ClassFrequencies frequencies)
    {
        var freq = new double[frequencies.Classes];
        for (var c = 0; c < freq.Length; c++)
        {
            freq[c] = frequencies.ImagePixelCounts[c] > 0 ? frequencies.PixelCounts[c] / (double)frequencies.ImagePixelCounts[c] : 0;
        }

        var present = freq.Where(f => f > 0).Order().ToArray();
        if (present.Length == 0)
        {
            throw new InvalidDataException("Median frequency weighting: no labelled pixel in the dataset.");
        }

        var median = present.Length % 2 == 1 ? present[present.Length / 2] : (present[(present.Length / 2) - 1] + present[present.Length / 2]) / 2;
        return [.. freq.Select(f => f > 0 ? (float)(median / f) : 0f)];
    }
}
