using Edge.Runtime.Benchmarking;

namespace Host.Tools.Compression;

/// <summary>Conditions of a compression benchmark run, printed in its report.</summary>
public sealed record CompressionRunInfo
{
    public required DateTimeOffset Created { get; init; }

    public required string Machine { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    public required int Threads { get; init; }

    /// <summary>
    /// What the latency was measured on: always the timing core's seeded synthetic tensor, since
    /// <see cref="CompressionBench"/> times every model through <c>ModelTimer.TimeOnnx</c> (<see cref="InferenceTimer.TimeRun"/>).
    /// </summary>
    public string Input => InferenceTimer.InputDescription;

    public required int Rounds { get; init; }

    public required int Iterations { get; init; }

    public required int Warmup { get; init; }
}
