using System.Numerics.Tensors;

namespace Edge.Runtime.Scoring;

/// <summary>
/// Entropy of the softmax: <c>−Σ_c p_c · log(p_c + 1e-10)</c>, <c>p = softmax(l / T)</c> over all channels — the paper's
/// code convention (the <c>+1e-10</c> inside the log, no normalisation by log C; neither changes the ranking).
/// </summary>
public sealed class MaxEntropyScorer : IAnomalyScorer
{
    private const float Epsilon = 1e-10f;
    private readonly float _temperature;

    public MaxEntropyScorer(double temperature = 1.0)
    {
        _temperature = ScorerArguments.CheckTemperature(temperature, nameof(MaxEntropyScorer));
        Temperature = temperature;
    }

    public string Name => "MaxEntropy";

    public double Temperature { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        SoftmaxKernels.Validate(logits, channels, scores, Name);
        var pixels = scores.Length;
        Span<float> max = stackalloc float[SoftmaxKernels.BlockSize];
        Span<float> sum = stackalloc float[SoftmaxKernels.BlockSize];
        Span<float> scratch = stackalloc float[SoftmaxKernels.BlockSize];
        Span<float> p = stackalloc float[SoftmaxKernels.BlockSize];
        for (var start = 0; start < pixels; start += SoftmaxKernels.BlockSize)
        {
            var n = Math.Min(SoftmaxKernels.BlockSize, pixels - start);
            SoftmaxKernels.Max(logits, pixels, channels, start, n, _temperature, max, scratch);
            SoftmaxKernels.SumExp(logits, pixels, channels, start, n, _temperature, max, sum, scratch);
            var entropy = scores.Slice(start, n);
            entropy.Clear();
            for (var c = 0; c < channels; c++)
            {
                var plane = SoftmaxKernels.Plane(logits, pixels, c, start, n, _temperature, scratch);
                TensorPrimitives.Subtract(plane, max[..n], p[..n]);
                TensorPrimitives.Exp(p[..n], p[..n]);
                TensorPrimitives.Divide(p[..n], sum[..n], p[..n]);
                TensorPrimitives.Add(p[..n], Epsilon, scratch[..n]);
                TensorPrimitives.Log(scratch[..n], scratch[..n]);
                TensorPrimitives.MultiplyAdd(p[..n], scratch[..n], entropy, entropy);
            }

            TensorPrimitives.Negate(entropy, entropy);
        }
    }
}
