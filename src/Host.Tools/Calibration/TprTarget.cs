using Host.Tools.Metrics;

namespace Host.Tools.Calibration;

/// <summary>The highest threshold whose TPR reaches the target (the lowest FPR for that recall; the paper's FPR95 point).</summary>
public sealed class TprTarget : IThresholdTarget
{
    public TprTarget(double tpr)
    {
        if (tpr is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tpr), tpr, "--target-tpr: expected a value in (0, 1].");
        }

        Tpr = tpr;
    }

    public double Tpr { get; }

    public string Description => $"tpr>={Tpr:G}";

    public ThresholdChoice Choose(ScoreDistribution distribution) =>
        ThresholdWalk.Descending(distribution).First(c => c.Tpr >= Tpr);
}
