namespace Edge.Runtime.Scoring;

/// <summary>
/// A per-pixel anomaly score computed from a network's logits in one pass; higher means more anomalous. Shared by the
/// vehicle runtime and the host evaluation so that both compute exactly the same numbers.
/// </summary>
public interface IAnomalyScorer
{
    /// <summary>Name as used in reports and settings (e.g. <c>MaxLogit</c>).</summary>
    string Name { get; }

    /// <summary>Temperature the scorer divides logits by (1 where it does not apply).</summary>
    double Temperature { get; }

    /// <summary>
    /// Scores every pixel. <paramref name="logits"/> holds <paramref name="channels"/> planes of
    /// <c>scores.Length</c> pixels each (one image of NCHW logits, N = 1).
    /// </summary>
    void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores);
}
