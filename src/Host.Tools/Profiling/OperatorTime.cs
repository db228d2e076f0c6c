namespace Host.Tools.Profiling;

/// <summary>Kernel time of one ONNX Runtime operator type (after graph optimisation), averaged per run.</summary>
public sealed record OperatorTime
{
    /// <summary>Operator type as ORT runs it (e.g. <c>QLinearConv</c>, <c>MaxUnpool</c>, <c>FusedConv</c>).</summary>
    public required string OpType { get; init; }

    /// <summary>Nodes of this type in the optimised graph.</summary>
    public required int Nodes { get; init; }

    /// <summary>Mean kernel time per run, milliseconds.</summary>
    public required double MillisecondsPerRun { get; init; }

    /// <summary>Fraction of all kernel time.</summary>
    public required double Share { get; init; }
}
