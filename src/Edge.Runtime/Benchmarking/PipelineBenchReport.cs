using System.Text.Json.Serialization;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// The <c>edgeseg bench --pipeline --json</c> document: the whole runtime (capture → inference → hazards → durable queue
/// → MQTT → a subscriber) over N frames, beside the bare inference bench of the same model in the same process.
/// </summary>
public sealed record PipelineBenchReport
{
    public required string Model { get; init; }

    public required string Source { get; init; }

    public required string Provider { get; init; }

    /// <summary><c>host:port</c> of the broker (the embedded one unless <c>--broker</c>).</summary>
    public required string Broker { get; init; }

    /// <summary>Frames asked for (<c>--iterations</c> / <c>--max-frames</c>).</summary>
    public required long Frames { get; init; }

    public required long FramesCaptured { get; init; }

    public required long FramesProcessed { get; init; }

    public required long FramesDropped { get; init; }

    /// <summary>Wall time from the pipeline's start to its end (source ended or frame limit), s.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Frames read per second (pipeline window over the run).</summary>
    public required double CaptureFps { get; init; }

    /// <summary>Frames fully processed per second (pipeline window over the run).</summary>
    public required double InferenceFps { get; init; }

    /// <summary>Frames processed / wall time: what the vehicle really gets, everything included.</summary>
    public required double EndToEndFps { get; init; }

    /// <summary>Bare inference fps (1000 / mean inference ms) of the same model, from the bare bench.</summary>
    public required double BareInferenceFps { get; init; }

    /// <summary>Bare preprocess + inference + score fps, from the bare bench.</summary>
    public required double BareEndToEndFps { get; init; }

    /// <summary>End-to-end fps / bare inference fps.</summary>
    public required double PipelineEfficiency { get; init; }

    /// <summary>Per frame: capture → events in the durable queue (the pipeline's <c>capture_to_enqueue</c>).</summary>
    public required LatencyStatistics? CaptureToEnqueue { get; init; }

    /// <summary>Per new/update event: capture (event <c>ts</c>) → received back from the broker by a subscriber. Null without events.</summary>
    public required LatencyStatistics? CaptureToPublish { get; init; }

    /// <summary>Per-stage latencies of the pipeline (preprocess, inference, score, hazards, enqueue, capture_to_enqueue).</summary>
    public required IReadOnlyDictionary<string, LatencyStatistics> Stages { get; init; }

    public required long EventsEnqueued { get; init; }

    /// <summary>Events acknowledged by the broker.</summary>
    public required long EventsPublished { get; init; }

    /// <summary>Events the subscriber received back.</summary>
    public required int EventsReceived { get; init; }

    public required double PeakRssMb { get; init; }

    /// <summary>What <see cref="PeakRssMb"/> covers: the pipeline run only (peak reset after the bare bench) or the whole process.</summary>
    public string? PeakRssScope { get; init; }

    /// <summary>The source played like a live camera (<c>--realtime</c> / <c>source.realtime</c>).</summary>
    public bool Realtime { get; init; }

    /// <summary>p50 of resize (on the capture thread) + preprocess + inference + score in the pipeline: one frame's cost, the yardstick of capture → publish.</summary>
    public double FrameCostP50Ms { get; init; }

    /// <summary>ONNX Runtime's intra-op threads of the pipeline's session spin between parallel sections (<c>model.allow_spinning</c>); null in reports from before the setting.</summary>
    public bool? OrtSpinning { get; init; }

    /// <summary>CPU time of the whole process (every thread, user + system) during the pipeline run / frames processed, ms.
    /// Unlike wall-clock latencies it barely depends on other tenants of the machine; an external broker's CPU is not in it.</summary>
    public double CpuMsPerFrame { get; init; }

    /// <summary>Managed heap size after the run (GC memory info), MB.</summary>
    public double ManagedHeapMb { get; init; }

    public bool ServerGc { get; init; }

    /// <summary>Memory the GC may use: the hard limit (<c>DOTNET_GCHeapHardLimit</c>) or physical memory, MB.</summary>
    public double GcHeapHardLimitMb { get; init; }

    /// <summary>The bare inference bench run first in the same command.</summary>
    [JsonPropertyName("bare")]
    public required BenchReport Bare { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
}
