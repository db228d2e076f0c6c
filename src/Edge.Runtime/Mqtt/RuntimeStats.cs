namespace Edge.Runtime.Mqtt;

/// <summary>What the pipeline reports on <c>stats</c> (the service adds uptime, alert queue and connection fields).</summary>
public sealed record RuntimeStats
{
    public required double CaptureFps { get; init; }

    public required double InferenceFps { get; init; }

    /// <summary>Per stage (e.g. <c>capture</c>, <c>preprocess</c>, <c>inference</c>, <c>score</c>, <c>total</c>).</summary>
    public IReadOnlyDictionary<string, StageLatency> LatencyMs { get; init; } = new Dictionary<string, StageLatency>();

    public required long FramesDropped { get; init; }

    /// <summary>Execution provider in use, e.g. <c>cuda</c>.</summary>
    public required string Provider { get; init; }

    public required string Model { get; init; }
}
