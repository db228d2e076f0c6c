namespace Host.Tools.Quantization;

/// <summary>What <see cref="StaticQuantizer"/> wrote.</summary>
public sealed record QuantizationResult(
    string OutputPath,
    int QuantizedActivations,
    int QuantizedWeights,
    int FoldedRelus,
    int FoldedBatchNorms,
    int CalibrationImages,
    string? CalibrationTablePath);
