namespace Edge.Runtime.Mqtt;

/// <summary>Latency percentiles of one pipeline stage over the last stats window, in milliseconds.</summary>
public sealed record StageLatency(double P50Ms, double P95Ms, double P99Ms);
