using Host.Tools.Metrics;

namespace Host.Tools.Calibration;

/// <summary>An operating point rule: which threshold of a score distribution to pick (anomaly ⇔ score ≥ threshold).</summary>
public interface IThresholdTarget
{
    /// <summary>Human/JSON description, e.g. <c>tpr&gt;=0.95</c>.</summary>
    string Description { get; }

    ThresholdChoice Choose(ScoreDistribution distribution);
}
