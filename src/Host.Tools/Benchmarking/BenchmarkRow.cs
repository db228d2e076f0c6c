using Edge.Runtime.Benchmarking;

namespace Host.Tools.Benchmarking;

/// <summary>One model's latencies: ORT CPU and (when the network is known) TorchSharp eager on the same weights.</summary>
public sealed record BenchmarkRow(string Model, string Architecture, long Parameters, long OnnxBytes, LatencyStatistics Onnx,
    LatencyStatistics? Torch);
