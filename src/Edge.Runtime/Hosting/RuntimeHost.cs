using System.Globalization;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Pipeline.Scorers;
using Edge.Runtime.Tracking;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Hosting;

/// <summary>
/// Composition root of <c>edgeseg run</c>: builds source, session, scorer, hazard extractor, tracker, alert queue
/// and pipeline from validated <see cref="RuntimeSettings"/>. The alert side is composed here only
/// (<see cref="CreateAlertQueue"/>): swap in the durable MQTT queue + publisher in that one place.
/// </summary>
public sealed class RuntimeHost : IDisposable
{
    private readonly ILogger _logger;
    private readonly List<IDisposable> _owned = [];

    private RuntimeHost(RuntimeSettings settings, ILogger logger)
    {
        Settings = settings;
        _logger = logger;
    }

    public RuntimeSettings Settings { get; }

    public ModelCard Card { get; private set; } = null!;

    public IFrameSource Source { get; private set; } = null!;

    public SegmentationPipeline Pipeline { get; private set; } = null!;

    public IAlertQueue AlertQueue { get; private set; } = null!;

    public float Threshold { get; private set; }

    public string Method { get; private set; } = string.Empty;

    /// <summary>Validates settings, loads model + card, opens the source and wires the pipeline.</summary>
    /// <param name="alertQueue">Where events go; null = <see cref="CreateAlertQueue"/>.</param>
    /// <exception cref="ArgumentException">Invalid settings (every violation listed with field, expected, actual).</exception>
    /// <exception cref="FileNotFoundException">Model or model card missing.</exception>
    /// <exception cref="FrameSourceException">The source cannot be opened.</exception>
    public static async Task<RuntimeHost> CreateAsync(
        RuntimeSettings settings,
        ILoggerFactory loggerFactory,
        TextWriter eventOutput,
        CancellationToken cancellationToken,
        IAlertQueue? alertQueue = null,
        IAnomalyScorerFactory? scorers = null,
        IPipelineObserver? observer = null,
        Func<GeoFix?>? gps = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        settings.ThrowIfInvalid();
        var host = new RuntimeHost(settings, loggerFactory.CreateLogger<RuntimeHost>());
        try
        {
            await host.BuildAsync(loggerFactory, eventOutput, alertQueue, scorers ?? new SharedScorerFactory(settings.Hazards?.Sml), observer, gps, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>The alert queue of a run: events printed as JSON lines (until the MQTT queue + publisher are composed here).</summary>
    public static IAlertQueue CreateAlertQueue(RuntimeSettings settings, TextWriter eventOutput)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ConsoleAlertQueue(eventOutput);
    }

    /// <summary>Runs the pipeline, logging <see cref="PipelineStats"/> every <c>stats_interval_seconds</c>.</summary>
    public async Task<PipelineStats> RunAsync(CancellationToken stop)
    {
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

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
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

    private async Task BuildAsync(ILoggerFactory loggerFactory, TextWriter eventOutput, IAlertQueue? alertQueue, IAnomalyScorerFactory scorers, IPipelineObserver? observer, Func<GeoFix?>? gps, CancellationToken cancellationToken)
    {
        var settings = Settings;
        var modelPath = settings.Model.Path;
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"model.path: model file not found: '{modelPath}' (run `make models` to export the paper's networks).", modelPath);
        }

        Card = ModelCard.Load(ModelCard.PathFor(modelPath));
        settings.ThrowIfInvalid(Card.Classes.Count);
        var resolved = ScoringResolver.Resolve(settings, Card);
        Method = resolved.Method;
        var temperature = resolved.Temperature;
        if (scorers is SharedScorerFactory && resolved.Hazards.Sml != settings.Hazards.Sml)
        {
            scorers = new SharedScorerFactory(resolved.Hazards.Sml); // the operating point's SML post-processing
        }

        var scorer = scorers.Create(Method, Card, temperature);
        (Threshold, var origin) = (resolved.Threshold, resolved.ThresholdOrigin);
        _logger.LogInformation("Scoring {Method} (T = {Temperature}), threshold {Threshold} from {Origin}", scorer.Name, temperature, Threshold, origin);
        if (resolved.OperatingPointHazardKeys.Count > 0)
        {
            _logger.LogInformation("Hazard post-processing from the model card's operating point: {Keys}", string.Join(", ", resolved.OperatingPointHazardKeys));
        }

        var hazards = resolved.Hazards;

        Source = new FrameSourceFactory(loggerFactory).Create(settings.Source.Uri, settings.Source.ToOptions());
        _owned.Add(Source);
        await Source.OpenAsync(cancellationToken).ConfigureAwait(false);

        var session = SegmentationSession.Create(
            settings.Model.ToSessionSettings(modelPath),
            loggerFactory.CreateLogger<SegmentationSession>());
        IFrameAnalyzer analyzer;
        try
        {
            session.EnsureMatches(Card, ModelCard.PathFor(modelPath));
            analyzer = FrameAnalyzerFactory.Create(session, Card, scorer, hazards.RoadArea.RoadClass, hazards.Sml);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        _owned.Add(analyzer);
        var extractor = new HazardExtractor(hazards, Threshold, CreateDrivableArea(hazards.RoadArea));
        _owned.Add(extractor);
        var tracker = new HazardTracker(settings.Tracking, Card.Name, scorer.Name, $"{settings.DeviceId}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-", gps);
        AlertQueue = alertQueue ?? CreateAlertQueue(settings, eventOutput);
        Pipeline = new SegmentationPipeline(Source, analyzer, extractor, tracker, AlertQueue, settings.Pipeline, loggerFactory.CreateLogger<SegmentationPipeline>(), observer);
    }

    /// <summary>The drivable area of <c>hazards.road_area</c> (also used by <c>edgeseg-tools evaluate-hazards</c>).</summary>
    public static IDrivableArea CreateDrivableArea(RoadAreaSettings settings) => settings.Mode switch
    {
        RoadAreaMode.Model => new ModelRoadArea(settings.DilatePx),
        RoadAreaMode.Polygon => new PolygonRoadArea(settings.Polygon!),
        _ => new WholeFrameArea(),
    };

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
