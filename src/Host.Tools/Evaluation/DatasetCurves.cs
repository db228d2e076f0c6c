using Host.Tools.Metrics;

namespace Host.Tools.Evaluation;

/// <summary>Thinned ROC and PR curves of one score on one dataset (from the exact histogram).</summary>
public sealed record DatasetCurves(string Dataset, ScoreSpec Spec, IReadOnlyList<CurvePoint> Roc, IReadOnlyList<CurvePoint> Pr);
