using Onnx;

namespace Host.Tools.Optimization;

/// <summary>An exact rewrite of an ONNX graph (same function, other operators); applied in place.</summary>
public interface IGraphRewrite
{
    /// <summary>Short name for logs and the model's metadata.</summary>
    string Name { get; }

    /// <summary>Rewrites every match in <paramref name="graph"/>; returns how many.</summary>
    int Apply(GraphProto graph);
}
