namespace Host.Tools.Evaluation;

/// <summary>One image of an anomaly set and its label mask.</summary>
public sealed record AnomalySample(string ImagePath, string MaskPath);
