using Host.Tools.Metrics;

namespace Host.Tools.Evaluation.Components;

/// <summary>
/// The pixel-level best-F1 operating point of a score distribution (the exact precision-recall curve of
/// <c>evaluate</c>): the distinct score value v maximising F1 = 2TP / (2TP + FP + FN) when pixels with score ≥ v are
/// called anomalous (ties: the highest such v). <see cref="Threshold"/> is v stepped down by one float ulp, so that
/// "score &gt; threshold" selects exactly the pixels of that point.
/// </summary>
public sealed record PixelF1Threshold(float Threshold, float Score, double F1, double Precision, double Recall)
{
    /// <summary>Null when the distribution has no positive pixel (F1 undefined everywhere).</summary>
    public static PixelF1Threshold? Best(ScoreDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var positives = distribution.TotalPositives;
        if (positives == 0 || distribution.Count == 0)
        {
            return null;
        }

        var pos = distribution.Positives;
        var neg = distribution.Negatives;
        long tp = 0, fp = 0, bestTp = 0, bestFp = 0;
        var best = -1;
        var bestF1 = -1.0;
        for (var k = distribution.Count - 1; k >= 0; k--)
        {
            tp += pos[k];
            fp += neg[k];
            var f1 = 2.0 * tp / ((2.0 * tp) + fp + (positives - tp));
            if (f1 > bestF1)
            {
                (bestF1, best, bestTp, bestFp) = (f1, k, tp, fp);
            }
        }

        var score = distribution.Score(best);
        return new PixelF1Threshold(MathF.BitDecrement(score), score, bestF1, bestTp / (double)(bestTp + bestFp), bestTp / (double)positives);
    }
}
