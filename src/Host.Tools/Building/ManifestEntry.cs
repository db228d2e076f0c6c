using Edge.Runtime.Models;
using Host.Tools.Export;

namespace Host.Tools.Building;

/// <summary>One model of the manifest: which architecture to build from which checkpoint.</summary>
public sealed record ManifestEntry
{
    public required string Name { get; init; }

    public required string Architecture { get; init; }

    /// <summary>Path relative to the weights folder.</summary>
    public required string Checkpoint { get; init; }

    public ScoreKind DefaultScore { get; init; } = ScoreKind.MaxLogit;

    /// <summary>Also write <c>&lt;name&gt;-trt.onnx</c> without MaxPool indices / MaxUnpool (ENet only).</summary>
    public bool TensorrtVariant { get; init; }

    /// <summary>Also write <c>&lt;name&gt;-heads.onnx</c> (and <c>&lt;name&gt;-trt-heads.onnx</c> with <see cref="TensorrtVariant"/>):
    /// the default score and the road mask in the graph (docs/models.md, "Heads").</summary>
    public bool Heads { get; init; }

    public int NumClasses { get; init; } = 20;

    /// <summary>Input standardisation the checkpoint was trained with, folded into the graph (null: [0,1] input as is).</summary>
    public InputNormalization? InputNormalization { get; init; }
}
