using System.CommandLine;
using Edge.Camera;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Inference;
using Edge.Runtime.Observability;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Systemd;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Commands;

/// <summary>
/// <c>edgeseg run</c>: camera → ONNX Runtime → hazards → durable alert queue → MQTT until the source ends,
/// <c>--max-frames</c>, or SIGINT/SIGTERM (which stop capture, drain the pipeline and exit 0); everything is built by
/// <see cref="RuntimeComposition"/>. With <c>--echo-events</c> the events print as JSON lines on stdout as the broker
/// delivers them.
/// </summary>
public sealed class RunCommand
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly RuntimeCompositionOptions _composition;

    /// <param name="loggerFactory">Logs (stderr).</param>
    /// <param name="output">Echoed events.</param>
    /// <param name="error">Errors and the final stats line.</param>
    /// <param name="composition">Seams of the composition root (e.g. a source factory); null = production defaults.</param>
    public RunCommand(ILoggerFactory loggerFactory, TextWriter output, TextWriter error, RuntimeCompositionOptions? composition = null)
    {
        _loggerFactory = loggerFactory;
        _output = output;
        _error = error;
        _composition = composition ?? new RuntimeCompositionOptions();
    }

    public Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Settings file (edgeseg.json; see docs/runtime.md)" };
        var source = new Option<string?>("--source") { Description = "Frame source: v4l2:///dev/video0 | 0 | csi://0 | gst://... | rtsp://... | clip.mp4 | folder/ | 'folder/*.png'" };
        var model = new Option<string?>("--model") { Description = "ONNX model (its model card .json must be beside it)" };
        var broker = new Option<string?>("--broker") { Description = "MQTT broker mqtt://host:port (default: embedded broker on 127.0.0.1)" };
        var deviceId = new Option<string?>("--device-id") { Description = "Device id for topics and hazard ids" };
        var maxFrames = new Option<long?>("--max-frames") { Description = "Stop after N captured frames" };
        var echo = new Option<bool>("--echo-events") { Description = "Subscribe to this device's hazards topic and print every event as the broker delivers it" };
        var soak = new Option<string?>("--soak-report") { Description = "Sample RSS, GC heap, fd and thread counts while running; write FILE (CSV) and FILE's .md (verdict)" };
        var soakInterval = new Option<double>("--soak-interval") { Description = "Seconds between soak samples", DefaultValueFactory = _ => 5 };
        soakInterval.Validators.Add(r =>
        {
            if (!(r.GetValueOrDefault<double>() > 0))
            {
                r.AddError($"--soak-interval: expected > 0 seconds, got {r.GetValueOrDefault<double>()}.");
            }
        });
        var command = new Command("run", "Run the hazard pipeline on a camera, stream, video or image folder") { config, source, model, broker, deviceId, maxFrames, echo, soak, soakInterval };
        command.SetAction((parseResult, cancellationToken) => ExecuteAsync(
            new RunOptions(parseResult.GetValue(config), parseResult.GetValue(source), parseResult.GetValue(model), parseResult.GetValue(broker), parseResult.GetValue(deviceId), parseResult.GetValue(maxFrames), parseResult.GetValue(echo),
                parseResult.GetValue(soak), parseResult.GetValue(soakInterval)),
            cancellationToken));
        return command;
    }

    /// <summary>Loads settings (file → environment → options) and runs; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var settings = options.ApplyTo(RuntimeSettings.Load(options.ConfigPath));

            // Model, card and source first (the likely failures), then the queue and MQTT they feed.
            await using var runtime = await RuntimeComposition.StartAsync(settings, _loggerFactory,
                options.EchoEvents ? _composition with { Echo = _output } : _composition, cancellationToken).ConfigureAwait(false);
            using var metrics = settings.Metrics.Enabled
                ? MetricsExporter.Start(settings.Metrics, RuntimeMetrics.Attach(runtime.Pipeline, () => runtime.Queue.PendingCount, () => runtime.Mqtt.IsConnected),
                    _loggerFactory.CreateLogger<MetricsExporter>())
                : null;
            using var systemd = SystemdNotifier.FromEnvironment(_loggerFactory.CreateLogger<SystemdNotifier>());
            using var watchdogStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watchdog = systemd is not null && SystemdNotifier.WatchdogInterval(Environment.ProcessId) is { } interval
                ? systemd.RunWatchdogAsync(interval, watchdogStop.Token, () => runtime.Pipeline.GetStats().FramesProcessed)
                : Task.CompletedTask;
            systemd?.Ready();
            PipelineStats stats;
            var sampler = options.SoakReport is null ? null : new ResourceSampler(logger: _loggerFactory.CreateLogger<ResourceSampler>());
            using var samplerStop = new CancellationTokenSource();
            var sampling = sampler is null
                ? Task.CompletedTask
                : sampler.RunAsync(TimeSpan.FromSeconds(options.SoakIntervalSeconds), () => runtime.Pipeline.GetStats().FramesProcessed, samplerStop.Token);
            try
            {
                stats = await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await samplerStop.CancelAsync().ConfigureAwait(false);
                await sampling.ConfigureAwait(false);
                systemd?.Stopping();
                await watchdogStop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await watchdog.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                await runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await _error.WriteLineAsync($"edgeseg run: {RuntimeComposition.Format(stats)}".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            if (sampler is not null)
            {
                var verdict = SoakVerdict.Evaluate(sampler.Samples);
                await WriteSoakReportAsync(options.SoakReport!, sampler.Samples, verdict, settings, runtime, stats).ConfigureAwait(false);
                await _error.WriteLineAsync($"edgeseg run: soak {verdict.Summary}".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop (SIGTERM, Ctrl+C) that arrives while the runtime is still starting or stopping is a normal stop.
            // Left to System.CommandLine it would become exit 1 with no message at all (its default handler prints
            // nothing for a cancellation); the queue is already on disk, so there is nothing to report but the stop.
            await _error.WriteLineAsync("edgeseg run: stopped before the pipeline ran to its end (stop requested); queued events stay on disk".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Alerts.AlertQueueLockedException ex)
        {
            await _error.WriteLineAsync($"edgeseg run: {ex.Message}".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.QueueLocked;
        }
        catch (Alerts.AlertQueueAccessException ex)
        {
            await _error.WriteLineAsync($"edgeseg run: {ex.Message}".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.QueueNotWritable;
        }
        catch (FileNotFoundException ex)
        {
            await _error.WriteLineAsync($"edgeseg run: {ex.Message}".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.MissingFile;
        }
        catch (Exception ex) when (ex is ArgumentException or FrameSourceException or ModelLoadException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await _error.WriteLineAsync($"edgeseg run: {ex.Message}".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static async Task WriteSoakReportAsync(string csvPath, IReadOnlyList<ResourceSample> samples, SoakVerdict verdict, RuntimeSettings settings,
        RuntimeComposition runtime, PipelineStats stats)
    {
        var facts = new List<(string, string)>
        {
            ("model", settings.Model.ModelPath),
            ("source", settings.Source.Uri),
            ("broker", runtime.Mqtt.BrokerEndpoint ?? "?"),
            ("frames", FormattableString.Invariant($"{stats.FramesCaptured} captured, {stats.FramesProcessed} processed, {stats.FramesDropped} dropped")),
            ("events", FormattableString.Invariant($"{stats.EventsEnqueued} enqueued, {runtime.Mqtt.PublishedCount} published")),
            ("duration s", FormattableString.Invariant($"{stats.UptimeSeconds:F0}")),
            ("inference fps", FormattableString.Invariant($"{stats.InferenceFps:F2}")),
            ("machine", $"{Benchmarking.MachineInfo.Current().Cpu}, {Environment.ProcessorCount} cores"),
        };
        var csv = System.Text.Encoding.UTF8.GetBytes(SoakReport.Csv(samples));
        var markdown = System.Text.Encoding.UTF8.GetBytes(SoakReport.Markdown(samples, verdict, facts));
        await IO.AtomicFile.WriteAsync(csvPath, (stream, ct) => stream.WriteAsync(csv, ct).AsTask(), CancellationToken.None).ConfigureAwait(false);
        await IO.AtomicFile.WriteAsync(Path.ChangeExtension(csvPath, ".md"), (stream, ct) => stream.WriteAsync(markdown, ct).AsTask(), CancellationToken.None).ConfigureAwait(false);
    }
}
