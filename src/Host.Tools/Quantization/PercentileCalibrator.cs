namespace Host.Tools.Quantization;

/// <summary>Clips the (100 − p)/2 % tails on each side: the range between the lower and upper percentile of the
/// value histogram (bin edges, conservative: the bin holding the percentile is kept whole).</summary>
public sealed class PercentileCalibrator : ICalibrator
{
    private readonly double _percentile;

    public PercentileCalibrator(double percentile)
    {
        if (percentile is <= 50 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), $"--percentile: expected a value in (50, 100], got {percentile}.");
        }

        _percentile = percentile;
    }

    public string Name => $"percentile({_percentile})";

    public bool NeedsHistogram => true;

    public (float Lo, float Hi) Range(TensorStatistics statistics)
    {
        var hist = statistics.Histogram ?? throw new InvalidOperationException($"Tensor '{statistics.Name}': no histogram.");
        var total = hist.Sum();
        if (total == 0 || statistics.Max <= statistics.Min)
        {
            return (statistics.Min, statistics.Max);
        }

        var tail = total * (100 - _percentile) / 200.0;
        var width = (statistics.Max - statistics.Min) / hist.Length;
        int lo = 0, hi = hist.Length - 1;
        double acc = 0;
        while (lo < hist.Length - 1 && acc + hist[lo] <= tail)
        {
            acc += hist[lo++];
        }

        acc = 0;
        while (hi > lo && acc + hist[hi] <= tail)
        {
            acc += hist[hi--];
        }

        return (statistics.Min + (lo * width), statistics.Min + ((hi + 1) * width));
    }
}
