using Edge.Runtime.Benchmarking;

namespace Edge.Runtime.Pipeline;

/// <summary>A snapshot of the pipeline's counters and timings (published periodically on the MQTT stats topic).</summary>
public sealed record PipelineStats
{
    public const string Resize = "resize";

    public const string Preprocess = "preprocess";
    public const string Inference = "inference";
    public const string Score = "score";
    public const string Hazards = "hazards";
    public const string Enqueue = "enqueue";
    public const string CaptureToEnqueue = "capture_to_enqueue";

    public required DateTimeOffset Timestamp { get; init; }

    public required string Source { get; init; }

    public required string Provider { get; init; }

    public required double UptimeSeconds { get; init; }

    public required long FramesCaptured { get; init; }

    public required long FramesProcessed { get; init; }

    /// <summary>Frames dropped by the capture channel because inference fell behind.</summary>
    public required long FramesDropped { get; init; }

    public required long Reconnects { get; init; }

    public required long EventsEnqueued { get; init; }

    public required int ActiveHazards { get; init; }

    /// <summary>Frames read per second over the recent window.</summary>
    public required double CaptureFps { get; init; }

    /// <summary>Frames fully processed per second over the recent window.</summary>
    public required double InferenceFps { get; init; }

    /// <summary>Latency per stage (<see cref="Preprocess"/>, <see cref="Inference"/>, ...), over the recent window.</summary>
    public required IReadOnlyDictionary<string, LatencyStatistics> Latency { get; init; }
}
