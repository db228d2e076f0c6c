namespace Host.Tools.HazardEvaluation;

/// <summary>What one published alert was, judged against the label mask.</summary>
public enum AlertVerdict
{
    /// <summary>At least <see cref="AlertMatcher.TrueAlertFraction"/> of the labelled pixels in its box are anomaly.</summary>
    True,

    /// <summary>Fewer anomaly pixels than that among the labelled pixels in its box.</summary>
    False,

    /// <summary>Its box holds no labelled pixel (all ignore, label 255): a false alert, also counted apart.</summary>
    Unlabelled,
}
