using Edge.Runtime.Hazards;

namespace Edge.Runtime.Tracking;

/// <summary>A confirmed hazard currently tracked: its id, latest detection and when it was first confirmed.</summary>
public sealed record ActiveHazard(string Id, Hazard Latest, DateTimeOffset Since, long LastFrameId);
