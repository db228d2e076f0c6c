using System.Numerics.Tensors;

namespace Edge.Runtime.Scoring;

/// <summary>Void classifier: <c>softmax(l / T)[void]</c>, the probability of the extra void channel (index 19 by default).</summary>
public sealed class VoidClassScorer : IAnomalyScorer
{
    private readonly float _temperature;

    public VoidClassScorer(int voidIndex = Models.CityscapesClasses.VoidIndex, double temperature = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(voidIndex);
        _temperature = ScorerArguments.CheckTemperature(temperature, nameof(VoidClassScorer));
        VoidIndex = voidIndex;
        Temperature = temperature;
    }

    public string Name => "VoidClass";

    public double Temperature { get; }

    public int VoidIndex { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        SoftmaxKernels.Validate(logits, channels, scores, Name);
        if (VoidIndex >= channels)
        {
            throw new ArgumentException($"VoidClass: void index {VoidIndex} is not a channel of a {channels}-channel output (expected index < {channels}).", nameof(channels));
        }

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
            var plane = SoftmaxKernels.Plane(logits, pixels, VoidIndex, start, n, _temperature, scratch);
            TensorPrimitives.Subtract(plane, max[..n], output);
            TensorPrimitives.Exp(output, output);
            TensorPrimitives.Divide(output, sum[..n], output);
        }
    }
}
