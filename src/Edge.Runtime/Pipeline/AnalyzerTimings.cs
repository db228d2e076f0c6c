namespace Edge.Runtime.Pipeline;

/// <summary>Milliseconds spent by the inference stage on one frame, per step.</summary>
public readonly record struct AnalyzerTimings(double PreprocessMs, double InferenceMs, double ScoreMs);
