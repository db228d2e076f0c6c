namespace Host.Tools.Tests.Metrics;

/// <summary>
/// Independent reference: scikit-learn semantics written the obvious way (sort every pixel by score descending, group
/// equal values, cumulative counts), plus numpy.interp for the ood_metrics FPR95.
/// </summary>
internal static class SortBasedMetrics
{
    public static (double Ap, double Auroc, double Fpr95Interp, double Fpr95First) Compute(float[] scores, byte[] labels)
    {
        var idx = Enumerable.Range(0, scores.Length).Where(i => labels[i] <= 1).OrderByDescending(i => (double)scores[i]).ToArray();
        double p = idx.Count(i => labels[i] == 1), n = idx.Length - p;
        var tps = new List<double> { 0 };
        var fps = new List<double> { 0 };
        double tp = 0, fp = 0;
        for (var k = 0; k < idx.Length; k++)
        {
            if (labels[idx[k]] == 1)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (k == idx.Length - 1 || scores[idx[k + 1]] != scores[idx[k]])
            {
                tps.Add(tp);
                fps.Add(fp);
            }
        }

        // AP: precision_recall_curve + -sum(diff(recall) * precision[:-1]) in sklearn order
        double ap = 0;
        for (var k = 1; k < tps.Count; k++)
        {
            ap += ((tps[k] - tps[k - 1]) / p) * (tps[k] / (tps[k] + fps[k]));
        }

        var tpr = tps.Select(v => v / p).ToArray();
        var fpr = fps.Select(v => v / n).ToArray();
        double auroc = 0;
        for (var k = 1; k < tpr.Length; k++)
        {
            auroc += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
        }

        double interp;
        if (tpr.All(t => t < 0.95))
        {
            interp = 0;
        }
        else if (tpr.All(t => t >= 0.95))
        {
            interp = fpr.Where((_, i) => tpr[i] >= 0.95).Min();
        }
        else
        {
            interp = NpInterp(0.95, tpr, fpr);
        }

        var first = fpr[Array.FindIndex(tpr, t => t >= 0.95)];
        return (ap, auroc, interp, first);
    }

    /// <summary>numpy.interp for non-decreasing xp: segment j with xp[j] &lt;= x &lt; xp[j+1] (last such j).</summary>
    private static double NpInterp(double x, double[] xp, double[] fp)
    {
        if (x >= xp[^1])
        {
            return fp[^1];
        }

        var j = 0;
        for (var i = 0; i < xp.Length - 1; i++)
        {
            if (xp[i] <= x)
            {
                j = i;
            }
        }

        if (xp[j] == x)
        {
            return fp[j];
        }

        var slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return (slope * (x - xp[j])) + fp[j];
    }
}
