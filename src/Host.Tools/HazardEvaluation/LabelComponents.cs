using Edge.Runtime.Alerts;
using Host.Tools.Evaluation;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// A mapped label mask (<see cref="AnomalyDataset.Anomaly"/> / <see cref="AnomalyDataset.Normal"/> /
/// <see cref="AnomalyDataset.Ignore"/> per pixel) with its anomaly pixels split into 8-connected components.
/// </summary>
public sealed class LabelComponents
{
    private LabelComponents(int width, int height, byte[] labels, int[] ids, IReadOnlyList<LabelComponent> components)
    {
        Width = width;
        Height = height;
        Labels = labels;
        Ids = ids;
        Components = components;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The mapped mask, row-major.</summary>
    public byte[] Labels { get; }

    /// <summary>Component id per pixel (0 = not an anomaly pixel), row-major.</summary>
    public int[] Ids { get; }

    public IReadOnlyList<LabelComponent> Components { get; }

    /// <summary>Splits the anomaly pixels of <paramref name="labels"/> (width x height, mapped values) into 8-connected components.</summary>
    public static unsafe LabelComponents Find(byte[] labels, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != width * height)
        {
            throw new ArgumentException($"Label buffer length: expected {width * height} ({height}x{width}), got {labels.Length}.", nameof(labels));
        }

        var binary = new byte[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            binary[i] = labels[i] == AnomalyDataset.Anomaly ? (byte)255 : (byte)0;
        }

        using var mask = Mat.FromPixelData(height, width, MatType.CV_8UC1, binary);
        using var ids = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(mask, ids, stats, centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        var idArray = new int[labels.Length];
        new ReadOnlySpan<int>((void*)ids.Data, labels.Length).CopyTo(idArray);
        var components = new List<LabelComponent>(Math.Max(0, count - 1));
        for (var id = 1; id < count; id++)
        {
            components.Add(new LabelComponent(
                id,
                stats.At<int>(id, (int)ConnectedComponentsTypes.Area),
                new BoundingBox(
                    stats.At<int>(id, (int)ConnectedComponentsTypes.Left),
                    stats.At<int>(id, (int)ConnectedComponentsTypes.Top),
                    stats.At<int>(id, (int)ConnectedComponentsTypes.Width),
                    stats.At<int>(id, (int)ConnectedComponentsTypes.Height))));
        }

        return new LabelComponents(width, height, labels, idArray, components);
    }
}
