namespace Host.Tools.Metrics;

/// <summary>A point of a ROC (x = FPR, y = TPR) or precision-recall (x = recall, y = precision) curve.</summary>
public readonly record struct CurvePoint(double X, double Y);
