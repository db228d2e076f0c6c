using System.Diagnostics;
using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Pipeline;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Commands;

/// <summary>
/// <c>edgeseg bench --pipeline</c>: the whole runtime as <c>edgeseg run</c> composes it (<see cref="RuntimeComposition"/>:
/// capture → inference → hazards → durable queue → MQTT through the embedded broker or <c>--broker</c>) for N frames,
/// with a subscriber on the hazards topic timing every new/update event from its capture (<c>ts</c>) to its arrival.
/// </summary>
public sealed class PipelineBench
{
    private readonly ILoggerFactory _loggerFactory;

    public PipelineBench(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    /// <summary>The settings of the pipeline run: <c>--config</c> (or defaults) with source, model, providers, broker,
    /// frame limit, a looping source, a queue folder and an embedded broker on a free port.</summary>
    public static RuntimeSettings Settings(BenchSettings bench, string queueDirectory)
    {
        ArgumentNullException.ThrowIfNull(bench);
        var settings = RuntimeSettings.Load(bench.ConfigPath);
        var frames = bench.PipelineFrames;
        var mqtt = bench.Broker is null ? settings.Mqtt with { Host = null, EmbeddedBrokerPort = 0 } : settings.Mqtt.WithUri(bench.Broker);
        return settings with
        {
            Source = settings.Source with { Uri = bench.Source!, Loop = true, Realtime = bench.Realtime || settings.Source.Realtime },
            Model = settings.Model with { ModelPath = bench.ModelPath, Providers = [.. bench.Providers], IntraOpThreads = bench.Threads },
            Mqtt = mqtt,
            Queue = settings.Queue with { Directory = queueDirectory },
            // One latency sample per frame for the whole run (percentiles over every frame, fps over the run).
            Pipeline = settings.Pipeline with { MaxFrames = frames, StatsWindow = (int)Math.Clamp(frames, 8, 100_000) },
        };
    }

    /// <summary>Runs the pipeline and reports it beside <paramref name="bare"/>.</summary>
    public async Task<PipelineBenchReport> MeasureAsync(BenchSettings bench, BenchReport bare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bench);
        ArgumentNullException.ThrowIfNull(bare);
        var temporary = bench.QueueDirectory is null ? Path.Combine(Path.GetTempPath(), $"edgeseg-bench-queue-{Guid.NewGuid():N}") : null;
        var settings = Settings(bench, bench.QueueDirectory ?? temporary!);
        var received = new ReceivedLineRecorder();
        // The bare bench ran first in this process: start the pipeline's peak RSS from here, so it is the runtime's own.
        GC.Collect();
        var peakScope = TryResetPeakRss() ? "pipeline run only (VmHWM reset after the bare bench)" : "whole process (bare bench included)";
        try
        {
            PipelineStats stats;
            double wall;
            TimeSpan cpu;
            long published;
            string broker;
            await using (var runtime = await RuntimeComposition.StartAsync(settings, _loggerFactory, new RuntimeCompositionOptions { Echo = received }, cancellationToken).ConfigureAwait(false))
            {
                await runtime.Mqtt.WaitUntilConnectedAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                broker = runtime.Mqtt.BrokerEndpoint!;
                var cpuStart = ProcessCpuTime();
                var start = Stopwatch.GetTimestamp();
                stats = await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
                wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
                cpu = ProcessCpuTime() - cpuStart;
                await runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
                published = runtime.Mqtt.PublishedCount;
            }

            var publishLatency = CaptureToPublish(received.Lines);
            var gc = GC.GetGCMemoryInfo();
            var frameCost = new[] { PipelineStats.Resize, PipelineStats.Preprocess, PipelineStats.Inference, PipelineStats.Score }
                .Sum(s => stats.Latency.TryGetValue(s, out var l) ? l.P50Ms : 0);
            var endToEnd = wall > 0 ? stats.FramesProcessed / wall : 0;
            return new PipelineBenchReport
            {
                Model = bench.ModelPath,
                Source = settings.Source.Uri,
                Provider = stats.Provider,
                Broker = broker,
                Frames = bench.PipelineFrames,
                FramesCaptured = stats.FramesCaptured,
                FramesProcessed = stats.FramesProcessed,
                FramesDropped = stats.FramesDropped,
                WallSeconds = wall,
                CaptureFps = stats.CaptureFps,
                InferenceFps = stats.InferenceFps,
                EndToEndFps = endToEnd,
                BareInferenceFps = bare.Fps,
                BareEndToEndFps = bare.EndToEndFps,
                PipelineEfficiency = bare.Fps > 0 ? endToEnd / bare.Fps : 0,
                CaptureToEnqueue = stats.Latency.GetValueOrDefault(PipelineStats.CaptureToEnqueue),
                CaptureToPublish = publishLatency.Count == 0 ? null : LatencyStatistics.FromSamples(publishLatency.ToArray()),
                Stages = stats.Latency,
                EventsEnqueued = stats.EventsEnqueued,
                EventsPublished = published,
                EventsReceived = received.Lines.Count,
                PeakRssMb = PeakMemory.Current().PeakRssMb,
                PeakRssScope = peakScope,
                Realtime = settings.Source.Realtime,
                FrameCostP50Ms = frameCost,
                OrtSpinning = settings.Model.AllowSpinning,
                CpuMsPerFrame = stats.FramesProcessed > 0 ? cpu.TotalMilliseconds / stats.FramesProcessed : 0,
                ManagedHeapMb = gc.HeapSizeBytes / (1024.0 * 1024.0),
                ServerGc = System.Runtime.GCSettings.IsServerGC,
                GcHeapHardLimitMb = gc.TotalAvailableMemoryBytes / (1024.0 * 1024.0),
                Bare = bare,
                Machine = MachineInfo.Current(),
                Timestamp = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            if (temporary is not null && Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>CPU time of every thread of this process so far (user + system).</summary>
    public static TimeSpan ProcessCpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Resets the process's peak RSS (<c>VmHWM</c>) through <c>/proc/self/clear_refs</c> (Linux); false where unsupported.</summary>
    public static bool TryResetPeakRss()
    {
        try
        {
            if (!File.Exists("/proc/self/clear_refs"))
            {
                return false;
            }

            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Milliseconds from each new/update event's capture timestamp (<c>ts</c>) to its arrival at the subscriber.
    /// End events are left out (their <c>ts</c> is the last frame a hazard was seen, not when the end was decided).</summary>
    public static List<double> CaptureToPublish(IReadOnlyList<(DateTimeOffset Received, string Line)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var latencies = new List<double>(lines.Count);
        foreach (var (receivedAt, line) in lines)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty("type", out var type) && type.GetString() is "new" or "update"
                    && root.TryGetProperty("ts", out var ts) && ts.TryGetDateTimeOffset(out var captured))
                {
                    latencies.Add((receivedAt - captured).TotalMilliseconds);
                }
            }
            catch (JsonException)
            {
                // not an event: ignored
            }
        }

        return latencies;
    }
}
