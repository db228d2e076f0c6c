namespace Host.Tools.Calibration;

/// <summary>A chosen threshold (anomaly ⇔ score ≥ <see cref="Value"/>) and the rates it achieves on the calibration set.</summary>
public sealed record ThresholdChoice(double Value, double Tpr, double Fpr);
