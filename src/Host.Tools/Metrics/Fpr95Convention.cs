namespace Host.Tools.Metrics;

/// <summary>How FPR at 95 % TPR is read off the ROC curve.</summary>
public enum Fpr95Convention
{
    /// <summary>
    /// The paper's (<c>ood_metrics.fpr_at_95_tpr</c>): ROC from scikit-learn's <c>roc_curve</c> (starting at (0, 0)),
    /// <c>np.interp(0.95, tpr, fpr)</c>; 0 when no point reaches TPR 0.95, the smallest FPR when every point does.
    /// </summary>
    Interpolated,

    /// <summary>FPR at the first threshold (descending scores) whose TPR is ≥ 0.95.</summary>
    First,
}
