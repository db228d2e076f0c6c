using Edge.Runtime.Benchmarking;
using Edge.Runtime.Configuration;
using Edge.Runtime.Inference;

namespace Edge.Runtime.Commands;

/// <summary>Arguments of <c>edgeseg bench</c>.</summary>
public sealed record BenchSettings
{
    public required string ModelPath { get; init; }

    public int Iterations { get; init; } = 20;

    public int Warmup { get; init; } = 3;

    public IReadOnlyList<string> Providers { get; init; } = [CpuExecutionProvider.ProviderName];

    public int? Threads { get; init; }

    public string? ImagePath { get; init; }

    public string? JsonPath { get; init; }

    public string? MarkdownPath { get; init; }

    public InferencePrecision Precision { get; init; } = InferencePrecision.Fp32;

    /// <summary>TensorRT engine cache folder (<c>--trt-engine-cache</c>; the install warm-up builds the engine there).</summary>
    public string? EngineCacheDirectory { get; init; }

    /// <summary>TensorRT timing cache folder (<c>--trt-timing-cache</c>).</summary>
    public string? TimingCacheDirectory { get; init; }

    /// <summary><c>--pipeline</c>: after the bare bench, run the whole runtime (source → MQTT) for <see cref="PipelineFrames"/> frames.</summary>
    public bool Pipeline { get; init; }

    /// <summary><c>--source</c> of the pipeline run (any <c>edgeseg run</c> source; finite sources are looped).</summary>
    public string? Source { get; init; }

    /// <summary><c>--broker</c> mqtt://host:port; null = the embedded broker on a free loopback port.</summary>
    public string? Broker { get; init; }

    /// <summary><c>--config</c>: settings file for the pipeline run (default settings when null).</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--max-frames</c>: frames of the pipeline run; null = <see cref="Iterations"/>.</summary>
    public long? MaxFrames { get; init; }

    /// <summary><c>--queue-dir</c>: alert queue folder of the pipeline run; null = a temporary folder deleted afterwards.</summary>
    public string? QueueDirectory { get; init; }

    /// <summary><c>--realtime</c>: the pipeline's file/folder source plays like a live camera (native rate, late frames skipped).</summary>
    public bool Realtime { get; init; }

    /// <summary>How ONNX Runtime runs the network in the bare bench: the <c>model</c> section's spinning, arena and
    /// memory-pattern values (<see cref="BenchCommand"/> takes them from <see cref="ConfigPath"/> and the environment, so
    /// the bare bench and the pipeline run the same session); null = ONNX Runtime's defaults.</summary>
    public SegmentationSessionSettings? SessionTuning { get; init; }

    public long PipelineFrames => MaxFrames ?? Iterations;

    /// <summary>TensorRT options for this run: fp16 for fp16 and int8 (int8's fallback), int8 only for int8.</summary>
    public TensorRtSettings TensorRt => new()
    {
        Precision = Precision,
        EngineCacheDirectory = EngineCacheDirectory,
        TimingCacheDirectory = TimingCacheDirectory,
    };

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException($"--model: expected a .onnx path, got '{ModelPath}'.");
        }

        if (Iterations < 1)
        {
            throw new ArgumentException($"--iterations: expected >= 1, got {Iterations}.");
        }

        if (Warmup < 0)
        {
            throw new ArgumentException($"--warmup: expected >= 0, got {Warmup}.");
        }

        if (Threads is { } t && t < 1)
        {
            throw new ArgumentException($"--threads: expected >= 1, got {t}.");
        }

        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentException($"--precision: expected fp32, fp16 or int8, got {(int)Precision}.");
        }

        if (Pipeline && string.IsNullOrWhiteSpace(Source))
        {
            throw new ArgumentException($"--source: expected a frame source with --pipeline (e.g. synthetic://1280x720 or an image folder), got '{Source}'.");
        }

        if (MaxFrames is < 1)
        {
            throw new ArgumentException($"--max-frames: expected >= 1, got {MaxFrames}.");
        }

        TensorRt.Validate();
    }
}
