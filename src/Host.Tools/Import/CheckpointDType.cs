namespace Host.Tools.Import;

/// <summary>Element type of a checkpoint tensor, named after PyTorch's dtypes.</summary>
public enum CheckpointDType
{
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,

    /// <summary>torch.qint8: signed 8-bit quantized values with affine quantization parameters.</summary>
    QInt8,

    /// <summary>torch.quint8: unsigned 8-bit quantized values with affine quantization parameters.</summary>
    QUInt8,

    /// <summary>torch.qint32: signed 32-bit quantized values with affine quantization parameters.</summary>
    QInt32,
}
