using Edge.Runtime.Scoring;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// The score stage of <c>edgeseg bench</c>: MaxLogit, <c>−max_c l_c</c> per pixel over all channels (the paper's
/// definition, no temperature). Stands in until the shared <c>Scoring/</c> scorers are on main; same numbers.
/// </summary>
internal sealed class BenchMaxLogitScorer : IAnomalyScorer
{
    public string Name => "MaxLogit";

    public double Temperature => 1.0;

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        var pixels = scores.Length;
        if (channels < 1 || logits.Length < channels * pixels)
        {
            throw new ArgumentException($"MaxLogit: expected {channels} (>= 1) planes of {pixels} pixels, got {logits.Length} logits.", nameof(logits));
        }

        logits[..pixels].CopyTo(scores);
        for (var c = 1; c < channels; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Max(scores, logits.Slice(c * pixels, pixels), scores);
        }

        System.Numerics.Tensors.TensorPrimitives.Negate(scores, scores);
    }
}
