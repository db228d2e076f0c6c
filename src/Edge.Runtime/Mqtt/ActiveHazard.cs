using Edge.Runtime.Alerts;

namespace Edge.Runtime.Mqtt;

/// <summary>One currently tracked (confirmed, not ended) hazard, as listed in the retained <c>state</c> message.</summary>
public sealed record ActiveHazard
{
    public required string Id { get; init; }

    public required BoundingBox Bbox { get; init; }

    public required double AreaFrac { get; init; }

    public required float ScoreMax { get; init; }

    public required bool OnRoad { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }
}
