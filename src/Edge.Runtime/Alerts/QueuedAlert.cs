namespace Edge.Runtime.Alerts;

/// <summary>
/// One stored, not yet acknowledged hazard event: its queue sequence number (1, 2, 3, ... per queue, never reused) and the
/// UTF-8 JSON payload exactly as published on <c>edgeseg/&lt;device&gt;/hazards</c> (see <see cref="HazardEventJson"/>).
/// </summary>
public sealed record QueuedAlert(long Sequence, ReadOnlyMemory<byte> Payload);
