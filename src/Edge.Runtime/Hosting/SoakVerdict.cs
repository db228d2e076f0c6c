using System.Globalization;

namespace Edge.Runtime.Hosting;

/// <summary>
/// Whether a soak run leaks. Samples in the first <see cref="WarmupFraction"/> of the run (by frames) are warm-up and
/// ignored; of the rest, the mean RSS of the last quarter must be less than <see cref="MaxRssGrowth"/> above the mean
/// of the first quarter, and the median fd count of the last quarter must be within ±<see cref="FdTolerance"/> of the
/// first quarter's median (medians: a file the alert queue or MQTT has open for a moment is not a leak; a leak moves
/// the median). The least-squares RSS slope over the second half (MB per 1000 frames) and the fd range are reported beside it.
/// </summary>
public sealed record SoakVerdict
{
    public const double WarmupFraction = 0.2;
    public const double MaxRssGrowth = 0.05;
    public const int FdTolerance = 2;
    public const int MinSamples = 8;

    public required bool Pass { get; init; }

    /// <summary>False when there were fewer than <see cref="MinSamples"/> samples after warm-up.</summary>
    public required bool Conclusive { get; init; }

    public required double RssFirstQuarterMb { get; init; }

    public required double RssLastQuarterMb { get; init; }

    /// <summary>(last − first) / first.</summary>
    public required double RssGrowth { get; init; }

    /// <summary>MB per 1000 frames over the second half of the samples after warm-up.</summary>
    public required double RssSlopeMbPer1000Frames { get; init; }

    public required int FdBaseline { get; init; }

    /// <summary>Median fd count of the last quarter after warm-up.</summary>
    public required int FdFinal { get; init; }

    public required int FdMin { get; init; }

    public required int FdMax { get; init; }

    public required int SamplesUsed { get; init; }

    public required string Summary { get; init; }

    public static SoakVerdict Evaluate(IReadOnlyList<ResourceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var lastFrame = samples.Count == 0 ? 0 : samples.Max(s => s.FramesProcessed);
        var used = samples.Where(s => s.FramesProcessed >= WarmupFraction * lastFrame && s.FramesProcessed > 0).ToList();
        if (used.Count < MinSamples)
        {
            return new SoakVerdict
            {
                Pass = false, Conclusive = false, RssFirstQuarterMb = 0, RssLastQuarterMb = 0, RssGrowth = 0, RssSlopeMbPer1000Frames = 0,
                FdBaseline = 0, FdFinal = 0, FdMin = 0, FdMax = 0, SamplesUsed = used.Count,
                Summary = string.Create(CultureInfo.InvariantCulture, $"inconclusive: {used.Count} sample(s) after warm-up, expected >= {MinSamples} (run longer or sample more often)"),
            };
        }

        var quarter = Math.Max(1, used.Count / 4);
        var first = used.Take(quarter).Average(s => s.RssMb);
        var last = used.Skip(used.Count - quarter).Average(s => s.RssMb);
        var growth = (last - first) / first;
        var secondHalf = used.Skip(used.Count / 2).ToList();
        var slope = Slope(secondHalf.Select(s => (double)s.FramesProcessed).ToList(), secondHalf.Select(s => s.RssMb).ToList()) * 1000;
        var baseline = Median(used.Take(quarter).Select(s => s.FdCount));
        var final = Median(used.Skip(used.Count - quarter).Select(s => s.FdCount));
        var fdMin = used.Min(s => s.FdCount);
        var fdMax = used.Max(s => s.FdCount);
        var rssOk = growth < MaxRssGrowth;
        var fdOk = Math.Abs(final - baseline) <= FdTolerance;
        return new SoakVerdict
        {
            Pass = rssOk && fdOk,
            Conclusive = true,
            RssFirstQuarterMb = first,
            RssLastQuarterMb = last,
            RssGrowth = growth,
            RssSlopeMbPer1000Frames = slope,
            FdBaseline = baseline,
            FdFinal = final,
            FdMin = fdMin,
            FdMax = fdMax,
            SamplesUsed = used.Count,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{(rssOk && fdOk ? "PASS" : "FAIL")}: RSS {first:F1} -> {last:F1} MB ({growth:+0.0%;-0.0%}, limit < {MaxRssGrowth:0%}; slope {slope:+0.00;-0.00} MB/1000 frames), fd median {baseline} -> {final} (limit ±{FdTolerance}; range {fdMin}..{fdMax})"),
        };
    }

    private static int Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Least-squares slope of y over x (0 when x does not vary).</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }

        return sxx > 0 ? sxy / sxx : 0;
    }
}
