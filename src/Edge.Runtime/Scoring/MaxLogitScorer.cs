namespace Edge.Runtime.Scoring;

/// <summary>MaxLogit: <c>−max_c l_c</c> over all channels (the paper's code; no temperature).</summary>
public sealed class MaxLogitScorer : IAnomalyScorer
{
    public string Name => "MaxLogit";

    public double Temperature => 1.0;

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        SoftmaxKernels.Validate(logits, channels, scores, Name);
        var pixels = scores.Length;
        Span<float> max = stackalloc float[SoftmaxKernels.BlockSize];
        for (var start = 0; start < pixels; start += SoftmaxKernels.BlockSize)
        {
            var n = Math.Min(SoftmaxKernels.BlockSize, pixels - start);
            SoftmaxKernels.Max(logits, pixels, channels, start, n, 1f, max, default);
            System.Numerics.Tensors.TensorPrimitives.Negate(max[..n], scores.Slice(start, n));
        }
    }
}
