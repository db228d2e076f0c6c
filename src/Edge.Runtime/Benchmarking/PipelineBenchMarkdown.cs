using System.Globalization;
using System.Text;

namespace Edge.Runtime.Benchmarking;

/// <summary>The <c>edgeseg bench --pipeline --markdown</c> document: whole-runtime facts beside the bare bench, then stages.</summary>
public static class PipelineBenchMarkdown
{
    public static string Render(PipelineBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# edgeseg bench --pipeline: {Path.GetFileName(report.Model)}\n\n");
        text.Append("| | |\n|---|---|\n");
        foreach (var (name, value) in Facts(report))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        text.Append("\n| stage | count | p50 ms | p95 ms | p99 ms | mean ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (name, stats) in Stages(report))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {stats.Count} | {stats.P50Ms:F2} | {stats.P95Ms:F2} | {stats.P99Ms:F2} | {stats.MeanMs:F2} | {stats.MaxMs:F2} |\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\nend-to-end fps = frames processed / wall time (capture start to pipeline end). capture_to_publish = subscriber arrival − event `ts` (new/update events). Percentiles: {BenchReport.PercentileMethodLinear}.\n");
        return text.ToString();
    }

    public static IReadOnlyList<(string Name, string Value)> Facts(PipelineBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            ("model", report.Model),
            ("source", report.Source),
            ("provider", report.Provider),
            ("broker", report.Broker),
            ("ORT intra-op spinning (model.allow_spinning)", report.OrtSpinning is { } spinning ? (spinning ? "on" : "off") : "n/a"),
            ("frames", string.Create(CultureInfo.InvariantCulture, $"{report.Frames} asked, {report.FramesCaptured} captured, {report.FramesProcessed} processed, {report.FramesDropped} dropped")),
            ("wall s", F(report.WallSeconds, "F2")),
            ("bare inference fps (1000/mean)", F(report.BareInferenceFps, "F2")),
            ("bare preprocess+inference+score fps", F(report.BareEndToEndFps, "F2")),
            ("bare bench input", $"{report.Bare.InputSource}, {report.Bare.Breakdown.PreprocessDescription}"),
            ("capture fps", F(report.CaptureFps, "F2")),
            ("inference fps", F(report.InferenceFps, "F2")),
            ("end-to-end fps (processed / wall)", F(report.EndToEndFps, "F2")),
            ("end-to-end / bare inference", F(report.PipelineEfficiency, "P0")),
            ("process CPU ms per frame (all threads)", F(report.CpuMsPerFrame, "F1")),
            ("events enqueued / published / received", string.Create(CultureInfo.InvariantCulture, $"{report.EventsEnqueued} / {report.EventsPublished} / {report.EventsReceived}")),
            ("source plays like a live camera (realtime)", report.Realtime ? "yes" : "no"),
            ("frame cost p50 ms (resize + preprocess + inference + score)", F(report.FrameCostP50Ms, "F2")),
            ("capture_to_publish p99 / frame cost", report.CaptureToPublish is { } publish && report.FrameCostP50Ms > 0 ? F(publish.P99Ms / report.FrameCostP50Ms, "F2") : "n/a"),
            ("peak RSS MB", F(report.PeakRssMb, "F1") + (report.PeakRssScope is { } scope ? $" ({scope})" : string.Empty)),
            ("managed heap MB after the run", F(report.ManagedHeapMb, "F1")),
            ("GC", (report.ServerGc ? "Server" : "Workstation") + string.Create(CultureInfo.InvariantCulture, $", limit {report.GcHeapHardLimitMb:F0} MB")),
            ("machine", $"{report.Machine.Cpu ?? report.Machine.Architecture}, {report.Machine.Cores} cores, {report.Machine.Runtime}"),
        ];
    }

    public static IReadOnlyList<(string Name, LatencyStatistics Stats)> Stages(PipelineBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stages = report.Stages.Select(kv => (kv.Key, kv.Value)).ToList();
        if (report.CaptureToPublish is { } publish)
        {
            stages.Add(("capture_to_publish", publish));
        }

        return stages;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
