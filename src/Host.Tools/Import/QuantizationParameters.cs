namespace Host.Tools.Import;

/// <summary>Affine quantization of a tensor: real = (q - zeroPoint) * scale, per tensor or per channel along <see cref="Axis"/>.</summary>
public sealed class QuantizationParameters
{
    private readonly double[] _scales;
    private readonly long[] _zeroPoints;

    public QuantizationParameters(QuantizationScheme scheme, double[] scales, long[] zeroPoints, int axis)
    {
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(zeroPoints);
        if (scales.Length != zeroPoints.Length)
        {
            throw new ArgumentException($"{scales.Length} scales but {zeroPoints.Length} zero points.", nameof(zeroPoints));
        }

        if (scheme == QuantizationScheme.PerTensorAffine && (scales.Length != 1 || axis != -1))
        {
            throw new ArgumentException("Per-tensor quantization needs exactly one scale and axis -1.", nameof(scales));
        }

        if (scheme == QuantizationScheme.PerChannelAffine && axis < 0)
        {
            throw new ArgumentException("Per-channel quantization needs an axis >= 0.", nameof(axis));
        }

        Scheme = scheme;
        _scales = scales;
        _zeroPoints = zeroPoints;
        Axis = axis;
    }

    public QuantizationScheme Scheme { get; }

    /// <summary>One scale (per tensor) or one per channel along <see cref="Axis"/>.</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>One zero point (per tensor) or one per channel along <see cref="Axis"/>.</summary>
    public IReadOnlyList<long> ZeroPoints => _zeroPoints;

    /// <summary>The channel axis for per-channel quantization; -1 for per-tensor.</summary>
    public int Axis { get; }

    /// <summary>The single scale of a per-tensor quantized tensor.</summary>
    public double Scale => Scheme == QuantizationScheme.PerTensorAffine
        ? _scales[0]
        : throw new InvalidOperationException("A per-channel quantized tensor has no single scale; use Scales.");

    /// <summary>The single zero point of a per-tensor quantized tensor.</summary>
    public long ZeroPoint => Scheme == QuantizationScheme.PerTensorAffine
        ? _zeroPoints[0]
        : throw new InvalidOperationException("A per-channel quantized tensor has no single zero point; use ZeroPoints.");

    public override string ToString() => Scheme == QuantizationScheme.PerTensorAffine
        ? $"per_tensor_affine(scale={_scales[0]:R}, zero_point={_zeroPoints[0]})"
        : $"per_channel_affine(axis={Axis}, {_scales.Length} scales, zero_points {(_zeroPoints.All(z => z == 0) ? "all 0" : "mixed")})";
}
