using Edge.Runtime.Benchmarking;

namespace Host.Tools.Profiling;

/// <summary>
/// Cost of one ONNX model. Convention: <see cref="Macs"/> = multiply-accumulates of Conv / ConvTranspose / MatMul / Gemm
/// counted densely (zeros included, bias not counted); FLOPs = 2 × MACs for those, 2 per output element for
/// BatchNormalization (scale + shift), 1 per output element for element-wise ops (Add, Mul, Relu, PRelu, Sigmoid, Max…).
/// <see cref="NonZeroMacs"/> counts only multiplications by non-zero weights (what pruning removes).
/// </summary>
public sealed record ModelProfile
{
    public required string Model { get; init; }

    public required long Parameters { get; init; }

    public required long SizeBytes { get; init; }

    public required long Macs { get; init; }

    public required long NonZeroMacs { get; init; }

    public required IReadOnlyDictionary<FlopCategory, long> Flops { get; init; }

    public long TotalFlops => Flops.Values.Sum();

    /// <summary>2 × MACs of the convolutions and matrix products only (the usual "GFLOPs" of papers).</summary>
    public long ConvFlops => 2 * Macs;

    public LatencyStatistics? Latency { get; init; }

    /// <summary>ORT kernel times by operator type and slowest nodes (<c>profile --ops</c>).</summary>
    public KernelProfile? Kernels { get; init; }
}
