namespace Host.Tools.Quantization;

/// <summary>
/// The arithmetic of ONNX QuantizeLinear / DequantizeLinear: q = saturate(round_half_even(x / scale) + zero_point),
/// x' = (q - zero_point) * scale; and the choice of scale / zero point from a calibrated range.
/// </summary>
public static class AffineQuantizer
{
    /// <summary>PyTorch's smallest observer scale (float32 epsilon); also used for all-zero weight channels.</summary>
    public const float MinScale = 1.1920929e-07f;

    /// <summary>uint8 asymmetric parameters for [lo, hi] (the range is widened to contain 0, as ORT and PyTorch do).</summary>
    public static QuantParams Asymmetric(float lo, float hi)
    {
        lo = MathF.Min(lo, 0f);
        hi = MathF.Max(hi, 0f);
        var scale = MathF.Max((hi - lo) / 255f, MinScale);
        var zp = (int)Math.Clamp(MathF.Round(-lo / scale, MidpointRounding.ToEven), 0, 255);
        return new QuantParams(scale, zp, QuantElementType.UInt8);
    }

    /// <summary>int8 symmetric parameters (zero point 0, range ±max(|lo|, |hi|) onto ±127).</summary>
    public static QuantParams Symmetric(float lo, float hi)
    {
        var amax = MathF.Max(MathF.Abs(lo), MathF.Abs(hi));
        return new QuantParams(MathF.Max(amax / 127f, MinScale), 0, QuantElementType.Int8);
    }

    public static int Quantize(float x, QuantParams p) =>
        (int)Math.Clamp(MathF.Round(x / p.Scale, MidpointRounding.ToEven) + p.ZeroPoint, p.QMin, p.QMax);

    public static float Dequantize(int q, QuantParams p) => (q - p.ZeroPoint) * p.Scale;

    public static float FakeQuantize(float x, QuantParams p) => Dequantize(Quantize(x, p), p);

    /// <summary>
    /// Per-channel symmetric int8 quantization of a weight tensor along <paramref name="axis"/> (0 for Conv
    /// [out, in, kh, kw], 1 for ConvTranspose [in, out, kh, kw]): scale_c = max|w_c| / 127, zero point 0.
    /// </summary>
    public static (sbyte[] Values, float[] Scales) QuantizeWeightsPerChannel(ReadOnlySpan<float> weights, long[] shape, int axis)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (axis < 0 || axis >= shape.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} outside a rank-{shape.Length} weight.");
        }

        var channels = (int)shape[axis];
        var inner = 1L;
        for (var i = axis + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        var outer = weights.Length / (channels * inner);
        var scales = new float[channels];
        for (var o = 0L; o < outer; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                var block = weights.Slice((int)(((o * channels) + c) * inner), (int)inner);
                foreach (var w in block)
                {
                    scales[c] = MathF.Max(scales[c], MathF.Abs(w));
                }
            }
        }

        for (var c = 0; c < channels; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var values = new sbyte[weights.Length];
        for (var o = 0L; o < outer; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                var start = (int)(((o * channels) + c) * inner);
                for (var k = 0; k < inner; k++)
                {
                    values[start + k] = (sbyte)Math.Clamp(MathF.Round(weights[start + k] / scales[c], MidpointRounding.ToEven), -127, 127);
                }
            }
        }

        return (values, scales);
    }
}
