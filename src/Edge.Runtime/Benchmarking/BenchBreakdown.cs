namespace Edge.Runtime.Benchmarking;

/// <summary>
/// Per-stage latency of one benchmarked frame: camera-style preprocessing (resize + CHW of a decoded frame), the
/// ONNX Runtime run, the per-pixel anomaly score, and their per-frame sum.
/// </summary>
public sealed record BenchBreakdown
{
    /// <summary>Source frame → model input, e.g. "1280x720 -> 1024x512 (CameraPreprocessor: OpenCV resize + CHW/255)".</summary>
    public required string PreprocessDescription { get; init; }

    /// <summary>Scorer name (e.g. <c>MaxLogit</c>).</summary>
    public required string ScoreMethod { get; init; }

    public required LatencyStatistics Preprocess { get; init; }

    public required LatencyStatistics Inference { get; init; }

    public required LatencyStatistics Score { get; init; }

    /// <summary>Per-frame preprocess + inference + score.</summary>
    public required LatencyStatistics Total { get; init; }
}
