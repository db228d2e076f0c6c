using System.Globalization;
using System.Text;

namespace Edge.Runtime.Benchmarking;

/// <summary>The <c>edgeseg bench --markdown</c> document: run facts, then one latency row per stage.</summary>
public static class BenchMarkdown
{
    public static string Render(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var b = report.Breakdown;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# edgeseg bench: {Path.GetFileName(report.Model)}\n\n");
        text.Append("| | |\n|---|---|\n");
        foreach (var (name, value) in Facts(report))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {Escape(value)} |\n");
        }

        text.Append("\n| stage | p50 ms | p95 ms | p99 ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (name, stats) in Stages(b))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {Ms(stats.P50Ms)} | {Ms(stats.P95Ms)} | {Ms(stats.P99Ms)} | {Ms(stats.MeanMs)} | {Ms(stats.MinMs)} | {Ms(stats.MaxMs)} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nPercentiles: {report.PercentileMethod}. Peak memory: {report.PeakRssSource}, whole process.\n");
        return text.ToString();
    }

    /// <summary>Run facts shared by the console table and the Markdown document.</summary>
    public static IReadOnlyList<(string Name, string Value)> Facts(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            ("model", report.Model),
            ("provider", report.Provider),
            ("precision", report.Precision == report.PrecisionEffective ? Name(report.Precision) : $"{Name(report.Precision)} requested, {Name(report.PrecisionEffective)} effective"),
            ("input", string.Join('x', report.Input)),
            ("input source", report.InputSource),
            ("preprocess", report.Breakdown.PreprocessDescription),
            ("score", report.Breakdown.ScoreMethod),
            ("threads", report.Threads.ToString(CultureInfo.InvariantCulture)),
            ("iterations", $"{report.Iterations} (+{report.Warmup} warm-up)"),
            ("inference fps (1000/mean)", report.Fps.ToString("F1", CultureInfo.InvariantCulture)),
            ("end-to-end fps (1000/total mean)", report.EndToEndFps.ToString("F1", CultureInfo.InvariantCulture)),
            ("peak RSS MB", report.PeakRssMb.ToString("F1", CultureInfo.InvariantCulture)),
            ("machine", $"{report.Machine.Cpu ?? report.Machine.Architecture}, {report.Machine.Cores} cores, {report.Machine.Runtime}"),
        ];
    }

    public static IReadOnlyList<(string Name, LatencyStatistics Stats)> Stages(BenchBreakdown breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        return [("preprocess", breakdown.Preprocess), ("inference", breakdown.Inference), ("score", breakdown.Score), ("total", breakdown.Total)];
    }

    public static string Name(InferencePrecision precision) => precision.ToString().ToLowerInvariant();

    private static string Ms(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
