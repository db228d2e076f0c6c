using Host.Tools.Evaluation;
using Host.Tools.Preprocessing;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>Reads a labelled still: its image, and its label mask at the frame's size checked against the set's label scheme.</summary>
public static class HazardLabels
{
    /// <summary>
    /// The mask of <paramref name="maskPath"/> mapped through the set's scheme (<see cref="AnomalyDataset.LabelMap"/>) at
    /// <paramref name="width"/> x <paramref name="height"/>: a mask of another size is resized (Pillow NEAREST) and logged.
    /// </summary>
    /// <exception cref="InvalidDataException">A value the scheme does not know (not normal, anomaly or 255), naming the file.</exception>
    public static LabelComponents Load(string maskPath, byte[] labelMap, int width, int height, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(labelMap);
        ArgumentNullException.ThrowIfNull(logger);
        var image = LabelImage.Load(maskPath);
        var seen = new bool[256];
        foreach (var v in image.Pixels)
        {
            seen[v] = true;
        }

        var unknown = Enumerable.Range(0, 256).Where(v => seen[v] && v != AnomalyDataset.Ignore && labelMap[v] == AnomalyDataset.Ignore).ToList();
        if (unknown.Count > 0)
        {
            var known = Enumerable.Range(0, 256).Where(v => v == AnomalyDataset.Ignore || labelMap[v] != AnomalyDataset.Ignore);
            throw new InvalidDataException($"Label mask '{maskPath}': values {string.Join(", ", unknown)} are outside the set's scheme (expected {string.Join(", ", known)}).");
        }

        if (image.Width != width || image.Height != height)
        {
            logger.LogWarning("Label mask {Mask} is {LabelWidth}x{LabelHeight}, the image {Width}x{Height}: resized nearest to the image", maskPath, image.Width, image.Height, width, height);
        }

        var mapped = image.ResizeNearest(width, height, labelMap);
        return LabelComponents.Find(mapped, width, height);
    }

    /// <summary>The still image of <paramref name="file"/> as BGR; throws naming the file when it cannot be decoded.</summary>
    public static Mat ReadImage(string file)
    {
        var mat = Cv2.ImRead(file, ImreadModes.Color);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidDataException($"Image '{file}': cannot be decoded.");
        }

        return mat;
    }

    /// <summary>The labels at the score map's size: the same array when the sizes agree, else resized (Pillow NEAREST).</summary>
    public static byte[] AtMapSize(LabelComponents labels, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Width == width && labels.Height == height
            ? labels.Labels
            : PillowResize.Nearest(labels.Labels, labels.Width, labels.Height, 1, width, height);
    }
}
