namespace Host.Tools.Quantization;

/// <summary>An int8 weight: real = (Values - ZeroPoints[c]) * Scales[c] along <see cref="Axis"/> (one scale =
/// per tensor).</summary>
public sealed record WeightQuantization(sbyte[] Values, float[] Scales, sbyte[] ZeroPoints, int Axis)
{
    public bool PerChannel => Scales.Length > 1;
}
