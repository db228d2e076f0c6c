namespace Host.Tools.Metrics;

/// <summary>
/// Order-preserving map between float32 values and uint keys: flip every bit of negatives, set the sign bit of
/// positives, so that unsigned key order is float order (−Inf &lt; … &lt; −0 = +0 &lt; … &lt; +Inf). −0 is folded onto +0 so
/// that equal floats (ties) always share one key. NaN has no place in the order: callers reject it.
/// </summary>
public static class SortableFloat
{
    public static uint ToKey(float value)
    {
        var bits = value == 0f ? 0u : BitConverter.SingleToUInt32Bits(value);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    public static float FromKey(uint key)
    {
        var bits = (key & 0x8000_0000u) != 0 ? key & 0x7FFF_FFFFu : ~key;
        return BitConverter.UInt32BitsToSingle(bits);
    }
}
