using System.Numerics;
using System.Runtime.InteropServices;

namespace Edge.Runtime.Scoring;

/// <summary>
/// Per-pixel argmax class of planar logits ([C, H, W], row-major planes) as bytes, under PyTorch's first-maximum rule for
/// finite logits (an earlier class wins a tie). NaN logits (a broken model) are not ranked as PyTorch ranks them: a
/// comparison with NaN is false, so a later NaN never wins, and class masks of such a label map. SIMD over
/// <see cref="Vector{T}"/> in blocks that stay in L1 cache, scalar tail.
/// </summary>
public static class ArgmaxLabels
{
    private const int BlockVectors = 256;

    /// <summary><paramref name="labels"/>[i] = the first class with the largest logit at pixel i (classes 0..255).</summary>
    public static void Compute(ReadOnlySpan<float> logits, int channels, int n, Span<byte> labels)
    {
        if (channels is < 1 or > 256 || (long)channels * n > logits.Length || labels.Length < n)
        {
            throw new ArgumentException($"Argmax labels: expected 1..256 planes of {n} floats (got {channels} planes, {logits.Length} floats) and {n} label bytes (got {labels.Length}).");
        }

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            Span<Vector<float>> max = stackalloc Vector<float>[BlockVectors];
            Span<Vector<int>> index = stackalloc Vector<int>[BlockVectors];
            var whole = n / Vector<byte>.Count * 4; // float vectors, in groups of four (one byte vector of output)
            for (var first = 0; first < whole; first += BlockVectors)
            {
                var count = Math.Min(BlockVectors, whole - first);
                var blockMax = max[..count];
                var blockIndex = index[..count];
                MemoryMarshal.Cast<float, Vector<float>>(logits[..n]).Slice(first, count).CopyTo(blockMax);
                blockIndex.Clear();
                for (var c = 1; c < channels; c++)
                {
                    var plane = MemoryMarshal.Cast<float, Vector<float>>(logits.Slice(c * n, n)).Slice(first, count);
                    var cls = new Vector<int>(c);
                    for (var k = 0; k < count; k++)
                    {
                        var better = Vector.GreaterThan(plane[k], blockMax[k]);
                        blockMax[k] = Vector.ConditionalSelect(better, plane[k], blockMax[k]);
                        blockIndex[k] = Vector.ConditionalSelect(better, cls, blockIndex[k]);
                    }
                }

                for (var k = 0; k < count; k += 4)
                {
                    var low = Vector.Narrow(blockIndex[k], blockIndex[k + 1]);
                    var high = Vector.Narrow(blockIndex[k + 2], blockIndex[k + 3]);
                    Vector.AsVectorByte(Vector.Narrow(low, high)).CopyTo(labels[((first + k) * lanes)..]);
                }
            }

            i = whole * lanes;
        }

        for (; i < n; i++)
        {
            var best = 0;
            var top = logits[i];
            for (var c = 1; c < channels; c++)
            {
                var v = logits[(c * n) + i];
                if (v > top)
                {
                    best = c;
                    top = v;
                }
            }

            labels[i] = (byte)best;
        }
    }

    /// <summary><paramref name="mask"/>[i] = 255 where <paramref name="labels"/>[i] == <paramref name="cls"/>, else 0.</summary>
    public static void Mask(ReadOnlySpan<byte> labels, byte cls, Span<byte> mask)
    {
        if (mask.Length < labels.Length)
        {
            throw new ArgumentException($"Class mask: expected at least {labels.Length} bytes, got {mask.Length}.", nameof(mask));
        }

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var step = Vector<byte>.Count;
            var target = new Vector<byte>(cls);
            for (; i <= labels.Length - step; i += step)
            {
                Vector.Equals(new Vector<byte>(labels[i..]), target).CopyTo(mask[i..]);
            }
        }

        for (; i < labels.Length; i++)
        {
            mask[i] = labels[i] == cls ? (byte)255 : (byte)0;
        }
    }
}
