using System.Numerics.Tensors;

namespace Edge.Runtime.Scoring;

/// <summary>
/// Plane-wise SIMD kernels shared by the scorers. Logits are <c>channels</c> planes of <c>pixels</c> floats; the kernels
/// work on a block of pixels <c>[start, start + n)</c> at a time so that the per-block statistics stay in L1 cache.
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>Pixels per block (3 float buffers of this size live on the stack).</summary>
    public const int BlockSize = 1024;

    /// <summary>Receives, per block of pixels, the per-pixel maximum of l/T and Σ exp(l/T − max), and writes the scores.</summary>
    public delegate void BlockFinisher(ReadOnlySpan<float> max, ReadOnlySpan<float> sum, Span<float> output);

    /// <summary>One pass over the logits in blocks: max and sum-of-exponentials per pixel, then <paramref name="finish"/>.</summary>
    public static void ScoreBlocks(ReadOnlySpan<float> logits, int channels, Span<float> scores, string scorer, float temperature, BlockFinisher finish)
    {
        Validate(logits, channels, scores, scorer);
        var pixels = scores.Length;
        Span<float> max = stackalloc float[BlockSize];
        Span<float> sum = stackalloc float[BlockSize];
        Span<float> scratch = stackalloc float[BlockSize];
        for (var start = 0; start < pixels; start += BlockSize)
        {
            var n = Math.Min(BlockSize, pixels - start);
            Max(logits, pixels, channels, start, n, temperature, max, scratch);
            SumExp(logits, pixels, channels, start, n, temperature, max, sum, scratch);
            finish(max[..n], sum[..n], scores.Slice(start, n));
        }
    }

    public static void Validate(ReadOnlySpan<float> logits, int channels, Span<float> scores, string scorer)
    {
        if (channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"{scorer}: channels must be at least 1.");
        }

        if ((long)channels * scores.Length != logits.Length)
        {
            throw new ArgumentException(
                $"{scorer}: logits length {logits.Length} does not match {channels} channels x {scores.Length} pixels ({(long)channels * scores.Length}).",
                nameof(logits));
        }
    }

    /// <summary>One channel plane of the block, divided by <paramref name="temperature"/> into <paramref name="scratch"/> when T != 1.</summary>
    public static ReadOnlySpan<float> Plane(ReadOnlySpan<float> logits, int pixels, int channel, int start, int n, float temperature, Span<float> scratch)
    {
        var plane = logits.Slice((channel * pixels) + start, n);
        if (temperature == 1f)
        {
            return plane;
        }

        TensorPrimitives.Divide(plane, temperature, scratch[..n]);
        return scratch[..n];
    }

    /// <summary>max[i] = max_c l_c[i] / T over the block.</summary>
    public static void Max(ReadOnlySpan<float> logits, int pixels, int channels, int start, int n, float temperature, Span<float> max, Span<float> scratch)
    {
        Plane(logits, pixels, 0, start, n, temperature, scratch).CopyTo(max);
        for (var c = 1; c < channels; c++)
        {
            TensorPrimitives.Max(max[..n], Plane(logits, pixels, c, start, n, temperature, scratch), max[..n]);
        }
    }

    /// <summary>sum[i] = Σ_c exp(l_c[i] / T − max[i]) (the softmax denominator after max subtraction, as PyTorch computes it).</summary>
    public static void SumExp(ReadOnlySpan<float> logits, int pixels, int channels, int start, int n, float temperature, ReadOnlySpan<float> max, Span<float> sum, Span<float> scratch)
    {
        sum[..n].Clear();
        for (var c = 0; c < channels; c++)
        {
            var plane = Plane(logits, pixels, c, start, n, temperature, scratch);
            TensorPrimitives.Subtract(plane, max[..n], scratch[..n]);
            TensorPrimitives.Exp(scratch[..n], scratch[..n]);
            TensorPrimitives.Add(sum[..n], scratch[..n], sum[..n]);
        }
    }
}
