using Edge.Runtime.Scoring;

namespace Edge.Runtime.Pipeline.Scorers;

/// <summary>Softmax probability of the void class (logits / T), computed plane by plane.</summary>
internal sealed class VoidProbabilityScorer : IAnomalyScorer
{
    private readonly int _voidIndex;
    private float[] _max = [];
    private float[] _sum = [];

    public VoidProbabilityScorer(int voidIndex, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(voidIndex);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(temperature, 0);
        _voidIndex = voidIndex;
        Temperature = temperature;
    }

    public string Name => "VoidClass";

    public double Temperature { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        var n = scores.Length;
        if (_voidIndex >= channels || logits.Length < channels * n)
        {
            throw new ArgumentException($"VoidClass: expected {channels} planes of {n} pixels with void index < channels, got {logits.Length} logits and void index {_voidIndex}.");
        }

        if (_max.Length < n)
        {
            _max = new float[n];
            _sum = new float[n];
        }

        var max = _max.AsSpan(0, n);
        var sum = _sum.AsSpan(0, n);
        logits[..n].CopyTo(max);
        for (var c = 1; c < channels; c++)
        {
            var plane = logits.Slice(c * n, n);
            for (var i = 0; i < n; i++)
            {
                if (plane[i] > max[i])
                {
                    max[i] = plane[i];
                }
            }
        }

        var inv = (float)(1.0 / Temperature);
        sum.Clear();
        for (var c = 0; c < channels; c++)
        {
            var plane = logits.Slice(c * n, n);
            for (var i = 0; i < n; i++)
            {
                sum[i] += MathF.Exp((plane[i] - max[i]) * inv);
            }
        }

        var voidPlane = logits.Slice(_voidIndex * n, n);
        for (var i = 0; i < n; i++)
        {
            scores[i] = MathF.Exp((voidPlane[i] - max[i]) * inv) / sum[i];
        }
    }
}
