namespace Host.Tools.Quantization;

/// <summary>Where the quantized model runs (<c>--target</c>).</summary>
public enum QuantizationTargetKind
{
    Cpu,
    TensorRt,
}
