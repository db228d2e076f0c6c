using Edge.Runtime.Alerts;

namespace Edge.Runtime.Hazards;

/// <summary>One anomalous region of one frame, in source-frame pixels.</summary>
public readonly record struct Hazard
{
    public required BoundingBox Bbox { get; init; }

    /// <summary>Region area in source-frame pixels (model-resolution pixel count scaled by the resize factors).</summary>
    public required int AreaPx { get; init; }

    /// <summary>Region area as a fraction of the frame.</summary>
    public required double AreaFrac { get; init; }

    public required float ScoreMax { get; init; }

    public required float ScoreMean { get; init; }

    /// <summary>Centroid in source-frame pixels.</summary>
    public required double CentroidX { get; init; }

    public required double CentroidY { get; init; }

    /// <summary>True when at least half of the region lies in the drivable area (always true when restricted to it).</summary>
    public required bool OnRoad { get; init; }
}
