using Host.Tools.Preprocessing;

namespace Host.Tools.Evaluation;

/// <summary>A decoded image with its resized, mapped mask and (when it has an anomaly pixel) its input tensor.</summary>
internal sealed record LoadedSample(AnomalySample Sample, RgbImage Image, byte[] Labels, bool HasAnomaly, float[]? Tensor);
