namespace Host.Tools.Profiling;

/// <summary>Kernel time of one node of ONNX Runtime's optimised graph, averaged per run.</summary>
public sealed record NodeTime
{
    public required string Node { get; init; }

    public required string OpType { get; init; }

    public required double MillisecondsPerRun { get; init; }
}
