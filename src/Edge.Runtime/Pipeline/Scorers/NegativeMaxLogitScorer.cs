using Edge.Runtime.Scoring;

namespace Edge.Runtime.Pipeline.Scorers;

/// <summary>−max over the known classes (void excluded) of logits / T.</summary>
internal sealed class NegativeMaxLogitScorer : IAnomalyScorer
{
    private readonly int? _voidIndex;

    public NegativeMaxLogitScorer(int? voidIndex, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(temperature, 0);
        _voidIndex = voidIndex;
        Temperature = temperature;
    }

    public string Name => "MaxLogit";

    public double Temperature { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        var n = scores.Length;
        if (logits.Length < channels * n)
        {
            throw new ArgumentException($"MaxLogit: expected {channels} planes of {n} pixels, got {logits.Length} logits.");
        }

        scores.Fill(float.NegativeInfinity);
        for (var c = 0; c < channels; c++)
        {
            if (c == _voidIndex)
            {
                continue;
            }

            var plane = logits.Slice(c * n, n);
            for (var i = 0; i < n; i++)
            {
                if (plane[i] > scores[i])
                {
                    scores[i] = plane[i];
                }
            }
        }

        var scale = (float)(-1.0 / Temperature);
        for (var i = 0; i < n; i++)
        {
            scores[i] *= scale;
        }
    }
}
