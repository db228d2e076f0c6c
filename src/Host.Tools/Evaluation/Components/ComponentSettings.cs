namespace Host.Tools.Evaluation.Components;

/// <summary>
/// Size filters of the SegmentMeIfYouCan component metrics, in pixels at the resolution the maps are evaluated at:
/// predicted components smaller than <see cref="MinSegmentPixels"/> are removed, label (anomaly) components smaller
/// than <see cref="MinObjectPixels"/> move to the ignored region. <see cref="ForDataset"/> gives the benchmark's
/// defaults (obstacle-type sets 50 / 10, others 500 / 100).
/// </summary>
public sealed record ComponentSettings
{
    public const int ObstacleMinSegmentPixels = 50;
    public const int ObstacleMinObjectPixels = 10;
    public const int DefaultMinSegmentPixels = 500;
    public const int DefaultMinObjectPixels = 100;

    public int MinSegmentPixels { get; init; } = DefaultMinSegmentPixels;

    public int MinObjectPixels { get; init; } = DefaultMinObjectPixels;

    /// <summary>Obstacle-type sets (RoadObsticle21, sic, and anything named "obstacle"): small objects on the road.</summary>
    public static bool IsObstacleSet(string datasetName)
    {
        ArgumentNullException.ThrowIfNull(datasetName);
        return datasetName.Contains("Obsticle", StringComparison.OrdinalIgnoreCase)
            || datasetName.Contains("Obstacle", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The benchmark's sizes for a set; <paramref name="minSegmentPixels"/> / <paramref name="minObjectPixels"/> override them.</summary>
    public static ComponentSettings ForDataset(string datasetName, int? minSegmentPixels = null, int? minObjectPixels = null)
    {
        var obstacle = IsObstacleSet(datasetName);
        var settings = new ComponentSettings
        {
            MinSegmentPixels = minSegmentPixels ?? (obstacle ? ObstacleMinSegmentPixels : DefaultMinSegmentPixels),
            MinObjectPixels = minObjectPixels ?? (obstacle ? ObstacleMinObjectPixels : DefaultMinObjectPixels),
        };
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        if (MinSegmentPixels < 0)
        {
            throw new ArgumentException($"min_segment_px: expected >= 0, got {MinSegmentPixels}.");
        }

        if (MinObjectPixels < 0)
        {
            throw new ArgumentException($"min_object_px: expected >= 0, got {MinObjectPixels}.");
        }
    }
}
