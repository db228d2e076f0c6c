using Edge.Runtime.Alerts;
using Edge.Runtime.Pipeline;
using Prometheus;

namespace Edge.Runtime.Observability;

/// <summary>
/// The runtime's Prometheus metrics, in a registry of their own (no process or .NET collectors): frame counters, hazard
/// events per type, pending alerts, MQTT connection state and per-stage latency histograms (docs/runtime.md,
/// <c>metrics</c>). What the pipeline and the alert side already count is read when Prometheus scrapes
/// (<see cref="PipelineStats"/>, the queue's pending count, the MQTT connection state); the frame path only adds one
/// histogram observation per stage timing it already takes (<see cref="ObserveStage"/>) and one counter increment per
/// hazard event (<see cref="CountHazardEvent"/>).
/// </summary>
public sealed class RuntimeMetrics
{
    public const string FramesCapturedName = "edgeseg_frames_captured_total";
    public const string FramesProcessedName = "edgeseg_frames_processed_total";
    public const string FramesDroppedName = "edgeseg_frames_dropped_total";
    public const string HazardEventsName = "edgeseg_hazard_events_total";
    public const string AlertQueuePendingName = "edgeseg_alert_queue_pending";
    public const string StageSecondsName = "edgeseg_stage_seconds";
    public const string MqttConnectedName = "edgeseg_mqtt_connected";

    /// <summary>The stages the pipeline times (<see cref="PipelineStats.Latency"/> keys), each a <c>stage</c> label.</summary>
    public static IReadOnlyList<string> Stages { get; } =
    [
        PipelineStats.Resize, PipelineStats.Preprocess, PipelineStats.Inference, PipelineStats.Score, PipelineStats.Hazards, PipelineStats.Enqueue, PipelineStats.CaptureToEnqueue,
    ];

    /// <summary>Upper bounds (seconds) of the stage histograms: 0.5 ms doubling to ~8 s.</summary>
    public static IReadOnlyList<double> StageBuckets { get; } = Histogram.ExponentialBuckets(0.0005, 2, 15);

    private readonly Func<PipelineStats?> _pipelineStats;
    private readonly Func<int> _alertsPending;
    private readonly Func<bool> _mqttConnected;
    private readonly Counter _captured;
    private readonly Counter _processed;
    private readonly Counter _dropped;
    private readonly Counter.Child[] _events;
    private readonly Gauge _pending;
    private readonly Gauge _connected;
    private readonly Dictionary<string, Histogram.Child> _stages;

    /// <param name="pipelineStats">The pipeline's counters (null before it exists); read at each scrape.</param>
    /// <param name="alertsPending">Events in the durable alert queue not yet acknowledged by the broker; read at each scrape.</param>
    /// <param name="mqttConnected">Whether the MQTT service holds a broker connection; read at each scrape.</param>
    public RuntimeMetrics(Func<PipelineStats?> pipelineStats, Func<int> alertsPending, Func<bool> mqttConnected)
    {
        ArgumentNullException.ThrowIfNull(pipelineStats);
        ArgumentNullException.ThrowIfNull(alertsPending);
        ArgumentNullException.ThrowIfNull(mqttConnected);
        _pipelineStats = pipelineStats;
        _alertsPending = alertsPending;
        _mqttConnected = mqttConnected;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _captured = factory.CreateCounter(FramesCapturedName, "Frames read from the source.");
        _processed = factory.CreateCounter(FramesProcessedName, "Frames fully processed (inference, hazards, alerts enqueued).");
        _dropped = factory.CreateCounter(FramesDroppedName, "Frames dropped because inference fell behind a paced source (captured = processed + dropped).");
        var events = factory.CreateCounter(HazardEventsName, "Hazard events enqueued for MQTT, by type (new, update, end).", "type");
        _events = Enum.GetValues<HazardEventType>().Select(t => events.WithLabels(HazardEventJson.TypeName(t))).ToArray();
        _pending = factory.CreateGauge(AlertQueuePendingName, "Hazard events in the durable alert queue not yet acknowledged by the broker.");
        _connected = factory.CreateGauge(MqttConnectedName, "1 while the MQTT service is connected to its broker, else 0.");
        var stages = factory.CreateHistogram(StageSecondsName, "Time per frame in each pipeline stage, seconds.",
            new HistogramConfiguration { LabelNames = ["stage"], Buckets = [.. StageBuckets] });
        _stages = Stages.ToDictionary(s => s, s => stages.WithLabels(s), StringComparer.Ordinal);
        Registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>The registry <see cref="MetricsExporter"/> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Metrics of a pipeline about to run: its stage timings and enqueued events feed the histograms and the event
    /// counter; its stats, <paramref name="alertsPending"/> and <paramref name="mqttConnected"/> are read at each scrape.
    /// </summary>
    public static RuntimeMetrics Attach(SegmentationPipeline pipeline, Func<int> alertsPending, Func<bool> mqttConnected)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var metrics = new RuntimeMetrics(pipeline.GetStats, alertsPending, mqttConnected);
        pipeline.ObserveStageTimings(metrics.StageObserver);
        pipeline.EventEnqueued += metrics.CountHazardEvent;
        return metrics;
    }

    /// <summary>One timing of <paramref name="stage"/> (a <see cref="Stages"/> name), in milliseconds as the pipeline takes them.</summary>
    public void ObserveStage(string stage, double milliseconds) => StageObserver(stage)(milliseconds);

    /// <summary>The observation of one stage's timings in milliseconds, resolved once (the pipeline keeps it per stage).</summary>
    public Action<double> StageObserver(string stage)
    {
        if (!_stages.TryGetValue(stage, out var histogram))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Expected a pipeline stage ({string.Join(", ", Stages)}).");
        }

        return milliseconds => histogram.Observe(milliseconds / 1000.0);
    }

    public void CountHazardEvent(HazardEvent hazardEvent)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        _events[(int)hazardEvent.Type].Inc();
    }

    private void Refresh()
    {
        if (_pipelineStats() is { } stats)
        {
            _captured.IncTo(stats.FramesCaptured);
            _processed.IncTo(stats.FramesProcessed);
            _dropped.IncTo(stats.FramesDropped);
        }

        _pending.Set(_alertsPending());
        _connected.Set(_mqttConnected() ? 1 : 0);
    }
}
