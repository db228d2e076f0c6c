namespace Host.Tools.Quantization;

/// <summary>Element type of a quantized activation: uint8 (asymmetric, ORT CPU) or int8 (symmetric, TensorRT).</summary>
public enum QuantElementType
{
    UInt8,
    Int8,
}
