using System.Numerics.Tensors;

namespace Edge.Runtime.Scoring;

/// <summary>Free energy: <c>−T · logsumexp(l / T)</c> over all channels, computed stably as <c>−T · (m + log Σ exp(l/T − m))</c>.</summary>
public sealed class EnergyScorer : IAnomalyScorer
{
    private readonly float _temperature;

    public EnergyScorer(double temperature = 1.0)
    {
        _temperature = ScorerArguments.CheckTemperature(temperature, nameof(EnergyScorer));
        Temperature = temperature;
    }

    public string Name => "Energy";

    public double Temperature { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        SoftmaxKernels.Validate(logits, channels, scores, Name);
        var pixels = scores.Length;
        Span<float> max = stackalloc float[SoftmaxKernels.BlockSize];
        Span<float> sum = stackalloc float[SoftmaxKernels.BlockSize];
        Span<float> scratch = stackalloc float[SoftmaxKernels.BlockSize];
        for (var start = 0; start < pixels; start += SoftmaxKernels.BlockSize)
        {
            var n = Math.Min(SoftmaxKernels.BlockSize, pixels - start);
            SoftmaxKernels.Max(logits, pixels, channels, start, n, _temperature, max, scratch);
            SoftmaxKernels.SumExp(logits, pixels, channels, start, n, _temperature, max, sum, scratch);
            var output = scores.Slice(start, n);
            TensorPrimitives.Log(sum[..n], output);
            TensorPrimitives.Add(output, max[..n], output);
            TensorPrimitives.Multiply(output, -_temperature, output);
        }
    }
}
