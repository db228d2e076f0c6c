namespace Host.Tools.Evaluation;

/// <summary>One reference number set (percent).</summary>
public sealed record ReferenceEntry(string Dataset, string Method, double Temperature, double Auprc, double Fpr95, int Images);
