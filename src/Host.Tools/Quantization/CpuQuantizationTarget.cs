namespace Host.Tools.Quantization;

/// <summary>ONNX Runtime CPU: uint8 asymmetric activations, int8 per-channel weights, int32 biases; ORT fuses
/// DQ → Conv → Q into QLinearConv (and Add into QLinearAdd, etc.).</summary>
public sealed class CpuQuantizationTarget : IQuantizationTarget
{
    public string Name => "cpu";

    public bool QuantizeBias => true;

    public bool FoldReluIntoQuantize => true;

    public bool WritesCalibrationTable => false;

    public QuantParams ActivationParams(float lo, float hi) => AffineQuantizer.Asymmetric(lo, hi);
}
