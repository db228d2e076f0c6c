namespace Edge.Runtime.Pipeline;

/// <summary>A JPEG of the frame in which hazard <see cref="HazardId"/> was confirmed, boxes drawn.</summary>
public sealed record HazardSnapshot(string HazardId, long FrameId, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Jpeg);
