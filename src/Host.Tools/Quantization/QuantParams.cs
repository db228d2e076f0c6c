namespace Host.Tools.Quantization;

/// <summary>Per-tensor affine quantization of one activation: real = (q - ZeroPoint) * Scale.</summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint, QuantElementType Type)
{
    public int QMin => Type == QuantElementType.UInt8 ? 0 : -128;

    public int QMax => Type == QuantElementType.UInt8 ? 255 : 127;

    /// <summary>The real interval that quantizes without clipping.</summary>
    public (float Lo, float Hi) RepresentableRange => ((QMin - ZeroPoint) * Scale, (QMax - ZeroPoint) * Scale);
}
