namespace Host.Tools.Quantization;

/// <summary>TensorRT: int8 symmetric activations (zero point 0), int8 per-channel weights, float biases (TensorRT
/// fuses them itself); also writes an EntropyCalibration2-style calibration table for the implicit-quantization path.</summary>
public sealed class TensorRtQuantizationTarget : IQuantizationTarget
{
    public string Name => "tensorrt";

    public bool QuantizeBias => false;

    public bool FoldReluIntoQuantize => false;

    public bool WritesCalibrationTable => true;

    public QuantParams ActivationParams(float lo, float hi) => AffineQuantizer.Symmetric(lo, hi);
}
