using System.Globalization;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Pipeline.Scorers;
using Edge.Runtime.Tracking;
using Edge.Runtime.Vehicle;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Hosting;

/// <summary>
/// The composition root of the vehicle runtime (<c>edgeseg run</c>, <c>edgeseg bench --pipeline</c> and the end-to-end
/// tests): builds everything from validated <see cref="RuntimeSettings"/> in the order things fail — model + card
/// (loaded once) → source → durable alert queue → MQTT (embedded broker when none is configured) → GPIO indicator
/// and GPS → hazard extractor, tracker and pipeline — so each part is wired to parts that already exist. Pipeline
/// observers are attached in one place (<see cref="Observers"/>). Seams: <see cref="RuntimeCompositionOptions"/>.
/// </summary>
public sealed class RuntimeComposition : IAsyncDisposable
{
    /// <summary>Kept from <c>shutdown_timeout_s</c> for disposing, flushing the journal and exiting after the drain was cut.</summary>
    private static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(2);

    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly RuntimeCompositionOptions _options;
    private readonly Stack<IDisposable> _owned = new();
    private readonly CancellationTokenSource _shutdownDeadline = new();
    private readonly CancellationTokenSource _gpsStop = new();
    private Task _gpsLoop = Task.CompletedTask;
    private MqttEventEcho? _echo;
    private HazardIndicator? _indicator;
    private NmeaGpsReader? _gps;
    private CancellationTokenRegistration _stopRegistration;
    private bool _stopped;

    private RuntimeComposition(RuntimeSettings settings, ILoggerFactory loggerFactory, RuntimeCompositionOptions options)
    {
        Settings = settings;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RuntimeComposition>();
        _options = options;
    }

    public RuntimeSettings Settings { get; }

    public ModelCard Card { get; private set; } = null!;

    /// <summary>The resolved scorer name and threshold (settings, operating point, card or default).</summary>
    public string Method { get; private set; } = string.Empty;

    public float Threshold { get; private set; }

    public IFrameSource Source { get; private set; } = null!;

    /// <summary>Where the pipeline stores hazard events until the broker acknowledged them.</summary>
    public FileAlertQueue Queue { get; private set; } = null!;

    public MqttAlertService Mqtt { get; private set; } = null!;

    public SegmentationPipeline Pipeline { get; private set; } = null!;

    /// <summary>Time from the stop signal (SIGTERM) until <see cref="StopAsync"/> gives up draining: <c>shutdown_timeout_s</c> less a margin for the exit.</summary>
    public TimeSpan DrainBudget => TimeSpan.FromSeconds(Settings.ShutdownTimeoutSeconds) - ExitMargin is var budget && budget > TimeSpan.Zero ? budget : TimeSpan.Zero;

    /// <summary>Validates the settings and builds and starts everything up to a pipeline ready to run.</summary>
    /// <exception cref="ArgumentException">Invalid settings (every violation listed with field, expected, actual).</exception>
    /// <exception cref="FileNotFoundException">Model or model card missing.</exception>
    /// <exception cref="ModelLoadException">The model does not load or does not match its card.</exception>
    /// <exception cref="FrameSourceException">The source cannot be opened.</exception>
    /// <exception cref="AlertQueueLockedException">Another runtime holds the queue.</exception>
    /// <exception cref="AlertQueueAccessException">The queue directory is not writable.</exception>
    public static async Task<RuntimeComposition> StartAsync(RuntimeSettings settings, ILoggerFactory loggerFactory, RuntimeCompositionOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        settings.ThrowIfInvalid();
        var runtime = new RuntimeComposition(settings, loggerFactory, options ?? new RuntimeCompositionOptions());
        try
        {
            await runtime.BuildAsync(cancellationToken).ConfigureAwait(false);
            return runtime;
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs the pipeline until the source ends, <c>max_frames</c> or <paramref name="stop"/>, logging
    /// <see cref="PipelineStats"/> every <c>stats_interval_seconds</c>. When <paramref name="stop"/> fires (SIGTERM),
    /// the shutdown clock starts: <see cref="StopAsync"/> stops draining <see cref="DrainBudget"/> later.
    /// </summary>
    public async Task<PipelineStats> RunAsync(CancellationToken stop)
    {
        _stopRegistration.Dispose();
        _stopRegistration = stop.Register(() =>
        {
            try
            {
                _shutdownDeadline.CancelAfter(DrainBudget);
            }
            catch (ObjectDisposedException)
            {
            }
        });
        using var statsStop = new CancellationTokenSource();
        var statsLoop = Settings.StatsIntervalSeconds > 0 ? LogStatsAsync(TimeSpan.FromSeconds(Settings.StatsIntervalSeconds), statsStop.Token) : Task.CompletedTask;
        try
        {
            return await Pipeline.RunAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            await statsStop.CancelAsync().ConfigureAwait(false);
            await statsLoop.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drains the alert queue (bounded by <c>mqtt.drain_timeout_seconds</c>, and by the shutdown deadline once a stop
    /// was signalled), publishes <c>offline</c>, stops the echo and GPS. The pipeline's <c>end</c> events are already in
    /// the journal; what is not acknowledged stays on disk for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopped || Mqtt is null)
        {
            return;
        }

        _stopped = true;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdownDeadline.Token);
        try
        {
            await Mqtt.StopAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdownDeadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Shutdown deadline ({Seconds} s after the stop signal, shutdown_timeout_s less {Margin} s) reached while draining: {Pending} event(s) stay queued on disk for the next start",
                DrainBudget.TotalSeconds, ExitMargin.TotalSeconds, Queue.PendingCount);
        }

        await StopEchoAndGpsAsync().ConfigureAwait(false);
        _logger.LogInformation("Alerts stopped: {Published} event(s) acknowledged by the broker, {Pending} still queued in {Directory}",
            Mqtt.PublishedCount, Queue.PendingCount, Queue.Directory);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stopRegistration.DisposeAsync().ConfigureAwait(false);
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (Mqtt is not null)
            {
                await Mqtt.DisposeAsync().ConfigureAwait(false);
            }

            await StopEchoAndGpsAsync().ConfigureAwait(false);
            while (_owned.TryPop(out var owned))
            {
                owned.Dispose();
            }

            _gpsStop.Dispose();
            _shutdownDeadline.Dispose();
        }
    }

    /// <summary>One stats line (also used by the final report).</summary>
    public static string Format(PipelineStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var latency = string.Join(", ", stats.Latency.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key} p50 {l.Value.P50Ms:F1}/p95 {l.Value.P95Ms:F1}/p99 {l.Value.P99Ms:F1} ms")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"provider {stats.Provider}; captured {stats.FramesCaptured}, processed {stats.FramesProcessed}, dropped {stats.FramesDropped}, reconnects {stats.Reconnects}; capture {stats.CaptureFps:F2} fps, inference {stats.InferenceFps:F2} fps; events {stats.EventsEnqueued}, active {stats.ActiveHazards}; {latency}");
    }

    /// <summary>The drivable area of <c>hazards.road_area</c> (also used by <c>edgeseg-tools evaluate-hazards</c>).</summary>
    public static IDrivableArea CreateDrivableArea(RoadAreaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Mode switch
        {
            RoadAreaMode.Model => new ModelRoadArea(settings.DilatePx),
            RoadAreaMode.Polygon => new PolygonRoadArea(settings.Polygon!),
            _ => new WholeFrameArea(),
        };
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        var settings = Settings;

        // 1. Model + card, once: the card fixes the session's input shape and the class-dependent settings rules.
        var modelPath = settings.Model.ModelPath;
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"model.path: model file not found: '{modelPath}' (run `make models` to export the paper's networks).", modelPath);
        }

        var cardPath = ModelCard.PathFor(modelPath);
        Card = ModelCard.Load(cardPath);
        settings.ThrowIfInvalid(Card.Classes.Count);
        var resolved = ScoringResolver.Resolve(settings, Card);
        Method = resolved.Method;
        var scorers = _options.Scorers ?? new SharedScorerFactory(resolved.Hazards.Sml);
        var scorer = scorers.Create(Method, Card, resolved.Temperature);
        Threshold = resolved.Threshold;
        _logger.LogInformation("Scoring {Method} (T = {Temperature}), threshold {Threshold} from {Origin}", scorer.Name, resolved.Temperature, Threshold, resolved.ThresholdOrigin);
        if (resolved.OperatingPointHazardKeys.Count > 0)
        {
            _logger.LogInformation("Hazard post-processing from the model card's operating point: {Keys}", string.Join(", ", resolved.OperatingPointHazardKeys));
        }

        var hazards = resolved.Hazards;
        var session = SegmentationSession.Create(settings.Model, _loggerFactory.CreateLogger<SegmentationSession>(), Card);
        IFrameAnalyzer analyzer;
        try
        {
            session.EnsureMatches(Card, cardPath);
            _logger.LogInformation("Warm-up run of {Model} on {Provider}: {Milliseconds:F0} ms (before the first frame)", Path.GetFileName(session.ModelPath), session.Provider, session.WarmUp());
            analyzer = FrameAnalyzerFactory.Create(session, Card, scorer, hazards.RoadArea.RoadClass, hazards.Sml, hazards.KnownObjects.Enabled);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        _owned.Push(analyzer);

        // 2. Source.
        Source = _options.SourceFactory is { } createSource
            ? createSource(settings.Source, _loggerFactory)
            : new FrameSourceFactory(_loggerFactory).Create(settings.Source);
        _owned.Push(Source);
        await Source.OpenAsync(cancellationToken).ConfigureAwait(false);

        // 3. Durable queue, 4. MQTT draining it (and the echo subscriber of --echo-events).
        Queue = FileAlertQueue.Open(settings.Queue, _loggerFactory.CreateLogger<FileAlertQueue>());
        _owned.Push(Queue);
        Mqtt = new MqttAlertService(settings.MqttService(Card.Name), Queue, _loggerFactory, settings.StatsIntervalSeconds > 0 ? CurrentStats : null);
        await Mqtt.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Echo is { } echo)
        {
            _echo = await MqttEventEcho.StartAsync(Mqtt.BrokerEndpoint!, Mqtt.Settings, Mqtt.Topics.Hazards, echo,
                _loggerFactory.CreateLogger<MqttEventEcho>(), cancellationToken).ConfigureAwait(false);
        }

        // 5. Vehicle I/O: the hazard indicator and the GPS whose fix the tracker attaches to events.
        if (settings.Gpio.Enabled)
        {
            _indicator = HazardIndicator.OpenDevice(settings.Gpio, _loggerFactory.CreateLogger<HazardIndicator>());
            _owned.Push(_indicator);
        }

        if (settings.Gps.Enabled)
        {
            var reader = new NmeaGpsReader(settings.Gps, _loggerFactory.CreateLogger<NmeaGpsReader>());
            _gps = reader;
            _gpsLoop = Task.WhenAll(reader.RunAsync(settings.Gps.CreateSource(), _gpsStop.Token),
                GpsPositionFeed.RunAsync(() => reader.Latest, Mqtt.OfferPosition, GpsPositionFeed.DefaultInterval, _gpsStop.Token));
        }

        // 6. Hazards, tracking and the pipeline over the parts above.
        var extractor = new HazardExtractor(hazards, Threshold, CreateDrivableArea(hazards.RoadArea));
        _owned.Push(extractor);
        var gps = _gps;
        var tracker = new HazardTracker(settings.Tracking, Card.Name, scorer.Name, $"{settings.DeviceId}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-",
            gps is null ? null : () => gps.Latest);
        Pipeline = new SegmentationPipeline(Source, analyzer, extractor, tracker, Queue, settings.Pipeline, _loggerFactory.CreateLogger<SegmentationPipeline>(),
            new PipelineObservers(Observers()));
    }

    /// <summary>Every observer of the pipeline: the one place to attach another (metrics, ...).</summary>
    private IEnumerable<IPipelineObserver> Observers()
    {
        yield return new HazardStatePublisher(Mqtt, _indicator);
        foreach (var observer in _options.Observers)
        {
            yield return observer;
        }
    }

    /// <summary>What <c>stats</c> messages report (the pipeline's numbers; "starting" before it exists).</summary>
    private RuntimeStats CurrentStats()
    {
        var s = Pipeline?.GetStats();
        if (s is null)
        {
            return new RuntimeStats { CaptureFps = 0, InferenceFps = 0, FramesDropped = 0, Provider = "starting", Model = Card.Name };
        }

        return new RuntimeStats
        {
            CaptureFps = s.CaptureFps,
            InferenceFps = s.InferenceFps,
            FramesDropped = s.FramesDropped,
            Provider = s.Provider,
            Model = Card.Name,
            LatencyMs = s.Latency.ToDictionary(kv => kv.Key, kv => new StageLatency(kv.Value.P50Ms, kv.Value.P95Ms, kv.Value.P99Ms), StringComparer.Ordinal),
        };
    }

    private async Task StopEchoAndGpsAsync()
    {
        if (_echo is not null)
        {
            await _echo.DisposeAsync().ConfigureAwait(false);
            _echo = null;
        }

        await _gpsStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _gpsLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LogStatsAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                _logger.LogInformation("Stats: {Stats}", Format(Pipeline.GetStats()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
