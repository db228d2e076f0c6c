namespace Edge.Runtime.Pipeline;

/// <summary>Pipeline plumbing (settings <c>pipeline</c>).</summary>
public sealed record PipelineSettings
{
    /// <summary>
    /// Capture channel capacity (1-2): frames waiting for inference; when full, the oldest is dropped (paced sources).
    /// 1 (the default) hands the network the newest frame, at most one camera interval old; 2 makes every frame wait one
    /// more interval whenever the network is slower than the camera (capture → publish +40 ms at 25 fps), for nothing:
    /// a paced source cannot deliver frames faster anyway. Unpaced sources (files) block instead of dropping.
    /// </summary>
    public int CaptureCapacity { get; init; } = 1;

    /// <summary>
    /// The capture stage resizes each frame to the network input size (stage <c>resize</c>), so that the inference stage
    /// only converts it to the input tensor: the resize (most of preprocessing) runs on the capture thread, beside the
    /// network instead of before it. Same pixels either way. Off by default: on a 2-core CPU-only machine the resize then
    /// competes with ONNX Runtime's threads (ENet 4.46 / 4.05 fps on vs 4.89 / 4.81 off, docs/benchmarks.md); turn it on
    /// where cores idle while the GPU infers.
    /// </summary>
    public bool ResizeInCapture { get; init; }

    /// <summary>Score maps in flight between inference and hazard extraction.</summary>
    public int ScoreMapBuffers { get; init; } = 2;

    /// <summary>Stop after this many captured frames; null = until the source ends or a stop signal.</summary>
    public long? MaxFrames { get; init; }

    /// <summary>Latency samples kept per stage for percentiles.</summary>
    public int StatsWindow { get; init; } = 512;

    /// <summary>JPEG quality of hazard snapshots (1-100).</summary>
    public int SnapshotJpegQuality { get; init; } = 80;

    public IEnumerable<string> Validate(string prefix)
    {
        if (CaptureCapacity is < 1 or > 2)
        {
            yield return $"{prefix}.capture_capacity: expected 1 or 2, got {CaptureCapacity}";
        }

        if (ScoreMapBuffers is < 1 or > 8)
        {
            yield return $"{prefix}.score_map_buffers: expected 1..8, got {ScoreMapBuffers}";
        }

        if (MaxFrames is < 1)
        {
            yield return $"{prefix}.max_frames: expected >= 1 or null, got {MaxFrames}";
        }

        if (StatsWindow is < 8 or > 100_000)
        {
            yield return $"{prefix}.stats_window: expected 8..100000, got {StatsWindow}";
        }

        if (SnapshotJpegQuality is < 1 or > 100)
        {
            yield return $"{prefix}.snapshot_jpeg_quality: expected 1..100, got {SnapshotJpegQuality}";
        }
    }
}
