using Host.Tools.Metrics;

namespace Host.Tools.Calibration;

/// <summary>The lowest threshold whose FPR stays at or below the limit (the highest TPR allowed).</summary>
public sealed class MaxFprTarget : IThresholdTarget
{
    public MaxFprTarget(double fpr)
    {
        if (fpr is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fpr), fpr, "--max-fpr: expected a value in [0, 1).");
        }

        Fpr = fpr;
    }

    public double Fpr { get; }

    public string Description => $"fpr<={Fpr:G}";

    public ThresholdChoice Choose(ScoreDistribution distribution)
    {
        ThresholdChoice? best = null;
        foreach (var choice in ThresholdWalk.Descending(distribution))
        {
            if (choice.Fpr > Fpr)
            {
                break;
            }

            best = choice;
        }

        // Even the highest score lets normal pixels through: flag nothing (just above the maximum).
        return best ?? new ThresholdChoice(Math.BitIncrement(distribution.Score(distribution.Count - 1)), 0, 0);
    }
}
