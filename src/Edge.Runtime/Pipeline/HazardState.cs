using Edge.Runtime.Tracking;

namespace Edge.Runtime.Pipeline;

/// <summary>The confirmed hazards after one frame.</summary>
public sealed record HazardState(long FrameId, DateTimeOffset Timestamp, IReadOnlyList<ActiveHazard> Active);
