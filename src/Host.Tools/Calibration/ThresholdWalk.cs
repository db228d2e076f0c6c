using Host.Tools.Metrics;

namespace Host.Tools.Calibration;

/// <summary>Walks a distribution from the highest score down: at step k, anomaly ⇔ score ≥ score(k).</summary>
internal static class ThresholdWalk
{
    public static IEnumerable<ThresholdChoice> Descending(ScoreDistribution distribution)
    {
        double p = distribution.TotalPositives, n = distribution.TotalNegatives;
        if (p == 0 || n == 0)
        {
            throw new InvalidDataException($"Threshold calibration needs anomaly and normal pixels; got {p} anomaly and {n} normal pixels.");
        }

        long tp = 0, fp = 0;
        for (var k = distribution.Count - 1; k >= 0; k--)
        {
            tp += distribution.Positives[k];
            fp += distribution.Negatives[k];
            yield return new ThresholdChoice(distribution.Score(k), tp / p, fp / n);
        }
    }
}
