namespace Edge.Runtime.Alerts;

/// <summary>
/// One lifecycle change of a tracked hazard, as published on <c>edgeseg/&lt;device&gt;/hazards</c> (see docs/mqtt.md).
/// Events are written to the on-disk alert queue before anything tries to send them.
/// </summary>
public sealed record HazardEvent
{
    /// <summary>Stable id of the tracked hazard (same for its new / update / end events).</summary>
    public required string Id { get; init; }

    public required HazardEventType Type { get; init; }

    /// <summary>When the frame that produced the event was captured (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public required long FrameId { get; init; }

    /// <summary>Box in source-frame pixels.</summary>
    public required BoundingBox Bbox { get; init; }

    public required int AreaPx { get; init; }

    /// <summary>Area as a fraction of the frame.</summary>
    public required double AreaFrac { get; init; }

    public required float ScoreMax { get; init; }

    public required float ScoreMean { get; init; }

    /// <summary>True when the hazard lies in the drivable area.</summary>
    public required bool OnRoad { get; init; }

    public required string Model { get; init; }

    public required string Method { get; init; }

    public GeoFix? Gps { get; init; }
}
