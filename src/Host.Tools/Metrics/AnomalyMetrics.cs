namespace Host.Tools.Metrics;

/// <summary>
/// Exact pixel-level anomaly metrics on a <see cref="ScoreDistribution"/>; positives = anomaly, higher score = more
/// anomalous. Thresholds are the distinct score values, visited in descending order (ties grouped), as scikit-learn.
/// Degenerate inputs: no positive → AuPRC, FPR95 and AUROC are NaN; no negative → AuPRC = 1 (every precision is 1),
/// FPR95 and AUROC NaN (FPR undefined); a single distinct value (all ties) → one threshold: AuPRC = positive fraction,
/// ROC (0,0)→(1,1). ±Inf are ordinary extreme values.
/// </summary>
public static class AnomalyMetrics
{
    public const double TargetTpr = 0.95;

    /// <summary>scikit-learn <c>average_precision_score</c>: Σ_k (R_k − R_{k−1}) · P_k over descending distinct thresholds.</summary>
    public static double AveragePrecision(ScoreDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        double totalPositives = distribution.TotalPositives;
        if (totalPositives == 0)
        {
            return double.NaN;
        }

        var pos = distribution.Positives;
        var neg = distribution.Negatives;
        long tp = 0, fp = 0;
        double previousRecall = 0, ap = 0;
        for (var k = distribution.Count - 1; k >= 0; k--)
        {
            tp += pos[k];
            fp += neg[k];
            if (pos[k] == 0)
            {
                continue; // recall unchanged: the step adds nothing
            }

            var recall = tp / totalPositives;
            var precision = tp / (double)(tp + fp);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }

        return ap;
    }

    /// <summary>Area under the ROC curve (trapezoids between the distinct-threshold points, as <c>roc_auc_score</c>).</summary>
    public static double Auroc(ScoreDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        double p = distribution.TotalPositives, n = distribution.TotalNegatives;
        if (p == 0 || n == 0)
        {
            return double.NaN;
        }

        var pos = distribution.Positives;
        var neg = distribution.Negatives;
        long tp = 0, fp = 0;
        double area = 0, prevTpr = 0, prevFpr = 0;
        for (var k = distribution.Count - 1; k >= 0; k--)
        {
            tp += pos[k];
            fp += neg[k];
            double tpr = tp / p, fpr = fp / n;
            area += (fpr - prevFpr) * (tpr + prevTpr) / 2;
            prevTpr = tpr;
            prevFpr = fpr;
        }

        return area;
    }

    /// <summary>FPR at TPR 0.95 (see <see cref="Fpr95Convention"/>); NaN without positives or negatives.</summary>
    public static double Fpr95(ScoreDistribution distribution, Fpr95Convention convention = Fpr95Convention.Interpolated)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        double p = distribution.TotalPositives, n = distribution.TotalNegatives;
        if (p == 0 || n == 0)
        {
            return double.NaN;
        }

        var pos = distribution.Positives;
        var neg = distribution.Negatives;
        long tp = 0, fp = 0;

        // ROC points as sklearn's roc_curve: (0, 0) first, then one point per distinct threshold, descending.
        double prevTpr = 0, prevFpr = 0;
        for (var k = distribution.Count - 1; k >= 0; k--)
        {
            tp += pos[k];
            fp += neg[k];
            double tpr = tp / p, fpr = fp / n;
            if (convention == Fpr95Convention.First)
            {
                if (tpr >= TargetTpr)
                {
                    return fpr;
                }
            }
            else if (tpr > TargetTpr)
            {
                // np.interp: the segment [j, j+1] with tpr[j] <= 0.95 < tpr[j+1]; an exact hit returns fpr[j]
                // (the last point whose tpr equals 0.95).
                if (prevTpr == TargetTpr)
                {
                    return prevFpr;
                }

                var slope = (fpr - prevFpr) / (tpr - prevTpr);
                return (slope * (TargetTpr - prevTpr)) + prevFpr;
            }

            prevTpr = tpr;
            prevFpr = fpr;
        }

        // The last point has TPR 1 > 0.95, so the loop always returns for positives > 0; kept for safety.
        return prevFpr;
    }

    /// <summary>All metrics at once.</summary>
    public static AnomalyMetricsResult Compute(ScoreDistribution distribution, Fpr95Convention convention = Fpr95Convention.Interpolated) => new()
    {
        AuPrc = AveragePrecision(distribution),
        Fpr95 = Fpr95(distribution, convention),
        Auroc = Auroc(distribution),
        Positives = distribution.TotalPositives,
        Negatives = distribution.TotalNegatives,
        DistinctScores = distribution.Count,
    };

    /// <summary>ROC points (x = FPR, y = TPR) from (0, 0), thinned to about <paramref name="maxPoints"/> for plotting.</summary>
    public static IReadOnlyList<CurvePoint> RocCurve(ScoreDistribution distribution, int maxPoints = 2000)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        double p = Math.Max(1, distribution.TotalPositives), n = Math.Max(1, distribution.TotalNegatives);
        var points = new List<CurvePoint> { new(0, 0) };
        Walk(distribution, maxPoints, (tp, fp) => points.Add(new CurvePoint(fp / n, tp / p)));
        return points;
    }

    /// <summary>Precision-recall points (x = recall, y = precision), thinned to about <paramref name="maxPoints"/> for plotting.</summary>
    public static IReadOnlyList<CurvePoint> PrCurve(ScoreDistribution distribution, int maxPoints = 2000)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        double p = Math.Max(1, distribution.TotalPositives);
        var points = new List<CurvePoint>();
        Walk(distribution, maxPoints, (tp, fp) => points.Add(new CurvePoint(tp / p, tp + fp == 0 ? 1 : tp / (double)(tp + fp))));
        return points;
    }

    private static void Walk(ScoreDistribution distribution, int maxPoints, Action<long, long> emit)
    {
        var step = Math.Max(1, distribution.Count / Math.Max(1, maxPoints));
        var pos = distribution.Positives;
        var neg = distribution.Negatives;
        long tp = 0, fp = 0;
        for (int k = distribution.Count - 1, i = 0; k >= 0; k--, i++)
        {
            tp += pos[k];
            fp += neg[k];
            if (i % step == 0 || k == 0)
            {
                emit(tp, fp);
            }
        }
    }
}
