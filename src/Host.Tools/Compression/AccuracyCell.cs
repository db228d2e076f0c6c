namespace Host.Tools.Compression;

/// <summary>AuPRC and FPR95 (in %) of one score on one dataset.</summary>
public readonly record struct AccuracyCell(double Auprc, double Fpr95);
