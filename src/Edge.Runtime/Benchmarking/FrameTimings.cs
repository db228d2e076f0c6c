namespace Edge.Runtime.Benchmarking;

/// <summary>What <see cref="InferenceTimer.TimeStages"/> measured: one summary per stage (in the order given) and one of the frame total.</summary>
public sealed record FrameTimings(IReadOnlyList<LatencyStatistics> Stages, LatencyStatistics Total);
