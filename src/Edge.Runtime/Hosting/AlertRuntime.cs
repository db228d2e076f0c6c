using System.Globalization;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Vehicle;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Hosting;

/// <summary>
/// The alert side of <c>edgeseg run</c>: the durable <see cref="FileAlertQueue"/>, the <see cref="MqttAlertService"/>
/// that drains it (embedded broker when none is configured), the optional GPIO hazard indicator and GPS reader. It
/// observes the pipeline: active-hazard state goes to the retained <c>state</c> topic and the indicator, snapshots to
/// <c>snapshot</c>; stats are published every <c>stats_interval_seconds</c>.
/// </summary>
public sealed class AlertRuntime : IPipelineObserver, IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly FileAlertQueue _queue;
    private readonly MqttAlertService _mqtt;
    private readonly HazardIndicator? _indicator;
    private readonly NmeaGpsReader? _gps;
    private readonly CancellationTokenSource _gpsStop = new();
    private readonly Task _gpsLoop;
    private readonly string _model;
    private MqttEventEcho? _echo;
    private Func<PipelineStats>? _stats;
    private bool _stopped;

    private AlertRuntime(RuntimeSettings settings, string model, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger<AlertRuntime>();
        _model = model;
        _queue = FileAlertQueue.Open(settings.Queue.ToAlertQueueSettings(), loggerFactory.CreateLogger<FileAlertQueue>());
        try
        {
            MqttSettings = ToMqttSettings(settings, model);
            _mqtt = new MqttAlertService(MqttSettings, _queue, loggerFactory, settings.StatsIntervalSeconds > 0 ? CurrentStats : null);
            if (settings.Gpio is { Enabled: true } gpio)
            {
                _indicator = HazardIndicator.OpenDevice(new HazardIndicatorSettings { Pin = gpio.Pin }, loggerFactory.CreateLogger<HazardIndicator>());
            }

            if (settings.Gps is { Enabled: true } gps)
            {
                var gpsSettings = new Vehicle.GpsSettings { SerialPort = gps.Port, BaudRate = gps.BaudRate };
                _gps = new NmeaGpsReader(gpsSettings, loggerFactory.CreateLogger<NmeaGpsReader>());
                var reader = _gps;
                _gpsLoop = Task.WhenAll(reader.RunAsync(gpsSettings.CreateSource(), _gpsStop.Token),
                    GpsPositionFeed.RunAsync(() => reader.Latest, _mqtt.OfferPosition, GpsPositionFeed.DefaultInterval, _gpsStop.Token));
            }
            else
            {
                _gpsLoop = Task.CompletedTask;
            }
        }
        catch
        {
            _indicator?.Dispose();
            _queue.Dispose();
            throw;
        }
    }

    /// <summary>Where the pipeline enqueues hazard events.</summary>
    public IAlertQueue Queue => _queue;

    public MqttSettings MqttSettings { get; }

    public MqttAlertService Mqtt => _mqtt;

    /// <summary>Latest GPS fix (null without GPS or without a recent fix).</summary>
    public Func<Alerts.GeoFix?>? Gps => _gps is null ? null : () => _gps.Latest;

    /// <summary>Opens the queue, starts MQTT (and the embedded broker when no broker is configured); with
    /// <paramref name="echo"/>, every hazard message received back from the broker is printed there.</summary>
    public static async Task<AlertRuntime> StartAsync(RuntimeSettings settings, string model, ILoggerFactory loggerFactory, TextWriter? echo,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var runtime = new AlertRuntime(settings, model, loggerFactory);
        try
        {
            await runtime._mqtt.StartAsync(cancellationToken).ConfigureAwait(false);
            if (echo is not null)
            {
                runtime._echo = await MqttEventEcho.StartAsync(runtime._mqtt.BrokerEndpoint!, runtime.MqttSettings, runtime._mqtt.Topics.Hazards, echo,
                    loggerFactory.CreateLogger<MqttEventEcho>(), cancellationToken).ConfigureAwait(false);
            }

            return runtime;
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Maps the <c>mqtt</c> settings section (plus device id and stats interval) onto the MQTT service's settings.</summary>
    /// <param name="settings">Runtime settings.</param>
    /// <param name="model">Model name for the Home Assistant device block.</param>
    public static MqttSettings ToMqttSettings(RuntimeSettings settings, string model = "edgeseg")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var broker = settings.Mqtt;
        return new MqttSettings
        {
            Host = broker.Host,
            Port = broker.Port,
            UseTls = broker.Tls,
            CaFile = broker.CaFile,
            CertFile = broker.CertFile,
            KeyFile = broker.KeyFile,
            Username = broker.Username,
            Password = broker.Password,
            ClientId = broker.ClientId,
            DeviceId = MqttSettings.SanitizeDeviceId(settings.DeviceId),
            TopicPrefix = broker.TopicPrefix,
            KeepAlive = TimeSpan.FromSeconds(broker.KeepAliveSeconds),
            OperationTimeout = TimeSpan.FromSeconds(broker.OperationTimeoutSeconds),
            ReconnectMinDelay = TimeSpan.FromSeconds(broker.ReconnectMinDelaySeconds),
            ReconnectMaxDelay = TimeSpan.FromSeconds(broker.ReconnectMaxDelaySeconds),
            DrainTimeout = TimeSpan.FromSeconds(broker.DrainTimeoutSeconds),
            EmbeddedBrokerPort = broker.EmbeddedPort,
            StatsInterval = TimeSpan.FromSeconds(settings.StatsIntervalSeconds > 0 ? settings.StatsIntervalSeconds : 15),
            HomeAssistant = broker.HomeAssistant is { Enabled: true } ha ? new HomeAssistantDevice { DiscoveryPrefix = ha.DiscoveryPrefix, Model = model, Gps = settings.Gps is { Enabled: true } } : null,
        };
    }

    /// <summary>Where <c>stats</c> messages read the pipeline's numbers from.</summary>
    public void AttachStats(Func<PipelineStats> stats) => _stats = stats;

    /// <summary>Updates the indicator and offers the active set to the retained <c>state</c> topic; never waits for the broker.</summary>
    public ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        _indicator?.Update(state.Active.Count);
        var active = state.Active.Select(a => new Mqtt.ActiveHazard
        {
            Id = a.Id,
            Bbox = a.Latest.Bbox,
            AreaFrac = a.Latest.AreaFrac,
            ScoreMax = a.Latest.ScoreMax,
            OnRoad = a.Latest.OnRoad,
            FirstSeen = a.Since,
            LastSeen = state.Timestamp,
        }).ToList();
        _mqtt.OfferState(active);
        return ValueTask.CompletedTask;
    }

    /// <summary>Offers the JPEG to the retained <c>snapshot</c> topic (latest wins); never waits for the broker.</summary>
    public ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _mqtt.OfferSnapshot(snapshot.Jpeg);
        return ValueTask.CompletedTask;
    }

    /// <summary>Drains the queue (bounded by the MQTT drain timeout), publishes <c>offline</c>, stops GPS and the echo.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _mqtt.StopAsync(cancellationToken).ConfigureAwait(false);
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

        _logger.LogInformation("Alerts stopped: {Published} event(s) acknowledged by the broker, {Pending} still queued in {Directory}",
            _mqtt.PublishedCount, _queue.PendingCount, _queue.Directory);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _mqtt.DisposeAsync().ConfigureAwait(false);
            if (_echo is not null)
            {
                await _echo.DisposeAsync().ConfigureAwait(false);
            }

            _indicator?.Dispose();
            _queue.Dispose();
            _gpsStop.Dispose();
        }
    }

    private RuntimeStats CurrentStats()
    {
        var s = _stats?.Invoke();
        if (s is null)
        {
            return new RuntimeStats { CaptureFps = 0, InferenceFps = 0, FramesDropped = 0, Provider = "starting", Model = _model };
        }

        return new RuntimeStats
        {
            CaptureFps = s.CaptureFps,
            InferenceFps = s.InferenceFps,
            FramesDropped = s.FramesDropped,
            Provider = s.Provider,
            Model = _model,
            LatencyMs = s.Latency.ToDictionary(kv => kv.Key, kv => new StageLatency(kv.Value.P50Ms, kv.Value.P95Ms, kv.Value.P99Ms),
                StringComparer.Ordinal),
        };
    }

    /// <summary>Formats a broker endpoint for logs.</summary>
    public static string Describe(MqttSettings settings) => settings.UsesEmbeddedBroker
        ? string.Create(CultureInfo.InvariantCulture, $"embedded broker on 127.0.0.1:{settings.EmbeddedBrokerPort}")
        : string.Create(CultureInfo.InvariantCulture, $"{settings.Host}:{settings.Port}");
}
