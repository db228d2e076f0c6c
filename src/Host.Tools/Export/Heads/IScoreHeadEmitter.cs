using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>
/// Writes one anomaly scorer into a graph, exactly as its runtime counterpart in <c>Edge.Runtime.Scoring</c> computes it
/// (higher = more anomalous), with TensorRT-safe operators only. One class per scorer.
/// </summary>
public interface IScoreHeadEmitter
{
    ScoreKind Kind { get; }

    /// <summary>Temperature the logits are divided by (1 where the scorer has none).</summary>
    double Temperature { get; }

    /// <summary>Emits the score [1,1,H,W] float32 from <see cref="HeadGraph.Logits"/>; returns its value name.</summary>
    string Emit(HeadGraph heads);
}
