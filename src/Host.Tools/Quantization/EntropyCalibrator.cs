namespace Host.Tools.Quantization;

/// <summary>
/// TensorRT's entropy calibration (EntropyCalibration2): over the |x| histogram, picks the clipping threshold whose
/// 128-level quantized distribution has the smallest KL divergence from the clipped reference distribution.
/// </summary>
public sealed class EntropyCalibrator : ICalibrator
{
    private const int TargetBins = 128;

    public string Name => "entropy";

    public bool NeedsHistogram => true;

    public (float Lo, float Hi) Range(TensorStatistics statistics)
    {
        var hist = statistics.AbsHistogram ?? throw new InvalidOperationException($"Tensor '{statistics.Name}': no histogram.");
        var threshold = Threshold(hist, statistics.AbsMax);
        return (MathF.Max(statistics.Min, -threshold), MathF.Min(statistics.Max, threshold));
    }

    /// <summary>The clipping threshold (a bin edge) of an |x| histogram over [0, <paramref name="absMax"/>].</summary>
    public static float Threshold(ReadOnlySpan<long> hist, float absMax)
    {
        var bins = hist.Length;
        if (absMax <= 0 || bins <= TargetBins)
        {
            return absMax;
        }

        var best = bins;
        var bestKl = double.PositiveInfinity;
        var p = new double[bins];
        var q = new double[bins];
        double tailFromEnd = 0;
        var suffix = new double[bins + 1];
        for (var i = bins - 1; i >= 0; i--)
        {
            suffix[i] = suffix[i + 1] + hist[i];
        }

        for (var i = TargetBins; i <= bins; i++)
        {
            // Reference: the first i bins, with everything beyond folded into the last one.
            for (var k = 0; k < i; k++)
            {
                p[k] = hist[k];
            }

            tailFromEnd = suffix[i];
            p[i - 1] += tailFromEnd;

            // Candidate: the first i bins merged into 128 levels, each level spread over its non-empty bins.
            var merge = (double)i / TargetBins;
            for (var j = 0; j < TargetBins; j++)
            {
                var start = (int)(j * merge);
                var end = j == TargetBins - 1 ? i : (int)((j + 1) * merge);
                double sum = 0;
                var nonZero = 0;
                for (var k = start; k < end; k++)
                {
                    sum += hist[k];
                    nonZero += hist[k] != 0 ? 1 : 0;
                }

                for (var k = start; k < end; k++)
                {
                    q[k] = hist[k] != 0 ? sum / nonZero : 0;
                }
            }

            var kl = KlDivergence(p.AsSpan(0, i), q.AsSpan(0, i));
            if (kl < bestKl)
            {
                bestKl = kl;
                best = i;
            }
        }

        return absMax * best / bins;
    }

    private static double KlDivergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sp = 0, sq = 0;
        for (var k = 0; k < p.Length; k++)
        {
            sp += p[k];
            sq += q[k];
        }

        if (sp <= 0 || sq <= 0)
        {
            return double.PositiveInfinity;
        }

        double kl = 0;
        for (var k = 0; k < p.Length; k++)
        {
            if (p[k] <= 0)
            {
                continue;
            }

            var pk = p[k] / sp;
            var qk = q[k] / sq;
            kl += qk > 0 ? pk * Math.Log(pk / qk) : pk * Math.Log(pk / 1e-12);
        }

        return kl;
    }
}
