namespace Host.Tools.Profiling;

/// <summary>ONNX Runtime kernel times of a model (<c>profile --ops</c>): by operator type and the slowest nodes.</summary>
public sealed record KernelProfile
{
    public required IReadOnlyList<OperatorTime> Operators { get; init; }

    public required IReadOnlyList<NodeTime> SlowestNodes { get; init; }
}
