using System.Globalization;
using System.Text;

namespace Edge.Runtime.Hosting;

/// <summary>The soak report: the sample series as CSV and a Markdown summary with the <see cref="SoakVerdict"/>.</summary>
public static class SoakReport
{
    public const string CsvHeader = "elapsed_s,frames_processed,rss_mb,gc_heap_mb,fd_count,threads";

    public static string Csv(IReadOnlyList<ResourceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (var s in samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.ElapsedSeconds:F1},{s.FramesProcessed},{s.RssMb:F2},{s.GcHeapMb:F2},{s.FdCount},{s.Threads}\n");
        }

        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<ResourceSample> samples, SoakVerdict verdict, IReadOnlyList<(string Name, string Value)> facts)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(facts);
        var text = new StringBuilder("# Soak report\n\n| | |\n|---|---|\n");
        foreach (var (name, value) in facts)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| samples | {samples.Count} ({verdict.SamplesUsed} after warm-up) |\n");
        text.Append(CultureInfo.InvariantCulture, $"\n**Verdict: {verdict.Summary}**\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Criterion: samples before {SoakVerdict.WarmupFraction:0%} of the frames are warm-up; after it, mean RSS of the last quarter < {SoakVerdict.MaxRssGrowth:0%} above the first quarter, and the last quarter's median fd count within ±{SoakVerdict.FdTolerance} of the first quarter's (momentary opens by the queue / MQTT are not leaks). The RSS slope (least squares over the second half) is informative only: over a short run it is dominated by noise.\n\n");
        text.Append("| elapsed s | frames | RSS MB | GC heap MB | fds | threads |\n|---:|---:|---:|---:|---:|---:|\n");
        var step = Math.Max(1, samples.Count / 20);
        for (var i = 0; i < samples.Count; i++)
        {
            if (i % step != 0 && i != samples.Count - 1)
            {
                continue;
            }

            var s = samples[i];
            text.Append(CultureInfo.InvariantCulture, $"| {s.ElapsedSeconds:F0} | {s.FramesProcessed} | {s.RssMb:F1} | {s.GcHeapMb:F1} | {s.FdCount} | {s.Threads} |\n");
        }

        return text.ToString();
    }
}
