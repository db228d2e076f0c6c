namespace Host.Tools.Quantization;

/// <summary>
/// What calibration learned about one activation tensor: its minimum and maximum over all calibration images, and
/// (second pass, when the method needs it) a histogram of values over [Min, Max] and of |values| over [0, AbsMax].
/// </summary>
public sealed class TensorStatistics
{
    public const int DefaultBins = 2048;

    public TensorStatistics(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public float AbsMax => MathF.Max(MathF.Abs(Min), MathF.Abs(Max));

    public long Count { get; private set; }

    /// <summary>Histogram over [Min, Max] (null until <see cref="StartHistograms"/>).</summary>
    public long[]? Histogram { get; private set; }

    /// <summary>Histogram of |x| over [0, AbsMax].</summary>
    public long[]? AbsHistogram { get; private set; }

    public void ObserveRange(ReadOnlySpan<float> values)
    {
        var min = Min;
        var max = Max;
        foreach (var v in values)
        {
            if (v < min)
            {
                min = v;
            }

            if (v > max)
            {
                max = v;
            }
        }

        Min = min;
        Max = max;
        Count += values.Length;
    }

    public void StartHistograms(int bins = DefaultBins)
    {
        if (float.IsInfinity(Min))
        {
            throw new InvalidOperationException($"Tensor '{Name}': no values observed before building histograms.");
        }

        Histogram = new long[bins];
        AbsHistogram = new long[bins];
    }

    public void ObserveHistogram(ReadOnlySpan<float> values)
    {
        var hist = Histogram ?? throw new InvalidOperationException("StartHistograms was not called.");
        var abs = AbsHistogram!;
        var bins = hist.Length;
        var width = Max - Min;
        var inv = width > 0 ? bins / width : 0f;
        var absInv = AbsMax > 0 ? bins / AbsMax : 0f;
        var min = Min;
        foreach (var v in values)
        {
            hist[Math.Clamp((int)((v - min) * inv), 0, bins - 1)]++;
            abs[Math.Min((int)(MathF.Abs(v) * absInv), bins - 1)]++;
        }
    }
}
