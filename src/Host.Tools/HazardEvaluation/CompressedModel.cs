using Host.Tools.Compression;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// A compressed model of the compression plan as docs/alert-quality.md names it: <see cref="ReportName"/> is its report
/// folder (the model file name without <c>.onnx</c>), <see cref="BaselineReportName"/> that of its float baseline.
/// </summary>
public sealed record CompressedModel(string ReportName, string PlanName, CompressionKind Kind, string BaselineReportName, string BaselinePlanName);
