using System.Diagnostics;
using System.Threading.Channels;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using Edge.Runtime.Tracking;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// capture → inference (preprocess + network + score) → hazards + tracking → <see cref="IAlertQueue"/>, as three tasks
/// joined by bounded channels. For paced sources (cameras, streams, fixed-rate files) the capture channel drops the
/// oldest frame when inference falls behind (counted, disposed); unpaced files and folders wait instead, so every
/// frame is analysed. Alerts are never dropped: the hazard stage awaits the queue. Cancelling the stop token stops
/// capture; frames already captured are drained, active hazards get their <c>end</c> events, and the run completes.
/// </summary>
public sealed class SegmentationPipeline
{
    private readonly IFrameSource _source;
    private readonly IFrameAnalyzer _analyzer;
    private readonly HazardExtractor _extractor;
    private readonly HazardTracker _tracker;
    private readonly IAlertQueue _queue;
    private readonly PipelineSettings _settings;
    private readonly ILogger _logger;
    private readonly IPipelineObserver? _observer;
    private readonly LatencyWindow _resize;
    private readonly LatencyWindow _preprocess;
    private readonly LatencyWindow _inference;
    private readonly LatencyWindow _score;
    private readonly LatencyWindow _hazards;
    private readonly LatencyWindow _enqueue;
    private readonly LatencyWindow _endToEnd;
    private readonly LatencyWindow _captureTimes;
    private readonly LatencyWindow _processedTimes;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _captured;
    private long _processed;
    private long _dropped;
    private long _events;
    private int _active;

    public SegmentationPipeline(
        IFrameSource source,
        IFrameAnalyzer analyzer,
        HazardExtractor extractor,
        HazardTracker tracker,
        IAlertQueue queue,
        PipelineSettings settings,
        ILogger logger,
        IPipelineObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = settings.Validate("pipeline").ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }

        _source = source;
        _analyzer = analyzer;
        _extractor = extractor;
        _tracker = tracker;
        _queue = queue;
        _settings = settings;
        _logger = logger;
        _observer = observer;
        _resize = new LatencyWindow(settings.StatsWindow);
        _preprocess = new LatencyWindow(settings.StatsWindow);
        _inference = new LatencyWindow(settings.StatsWindow);
        _score = new LatencyWindow(settings.StatsWindow);
        _hazards = new LatencyWindow(settings.StatsWindow);
        _enqueue = new LatencyWindow(settings.StatsWindow);
        _endToEnd = new LatencyWindow(settings.StatsWindow);
        _captureTimes = new LatencyWindow(settings.StatsWindow);
        _processedTimes = new LatencyWindow(settings.StatsWindow);
    }

    /// <summary>Raised after every processed frame's events were enqueued (for printing or tests).</summary>
    public event Action<HazardEvent>? EventEnqueued;

    public PipelineStats GetStats()
    {
        var latency = new Dictionary<string, Benchmarking.LatencyStatistics>();
        foreach (var (name, window) in StageWindows())
        {
            if (window.Summary() is { } summary)
            {
                latency[name] = summary;
            }
        }

        return new PipelineStats
        {
            Timestamp = DateTimeOffset.UtcNow,
            Source = _source.Description,
            Provider = _analyzer.Provider,
            UptimeSeconds = Stopwatch.GetElapsedTime(_started).TotalSeconds,
            FramesCaptured = Interlocked.Read(ref _captured),
            FramesProcessed = Interlocked.Read(ref _processed),
            FramesDropped = Interlocked.Read(ref _dropped),
            Reconnects = _source.Reconnects,
            EventsEnqueued = Interlocked.Read(ref _events),
            ActiveHazards = Volatile.Read(ref _active),
            CaptureFps = _captureTimes.Rate(),
            InferenceFps = _processedTimes.Rate(),
            Latency = latency,
        };
    }

    /// <summary>
    /// Passes every stage timing (milliseconds, stage names as in <see cref="PipelineStats.Latency"/>) also to the
    /// action <paramref name="observerFor"/> returns for that stage (e.g. Prometheus histograms). Call before <see cref="RunAsync"/>.
    /// </summary>
    public void ObserveStageTimings(Func<string, Action<double>> observerFor)
    {
        ArgumentNullException.ThrowIfNull(observerFor);
        foreach (var (name, window) in StageWindows())
        {
            window.Observer = observerFor(name);
        }
    }

    /// <summary>Runs until the source ends, <see cref="PipelineSettings.MaxFrames"/> frames were captured, or <paramref name="stop"/> is cancelled.</summary>
    /// <exception cref="FrameSourceException">The source failed (after the frames already captured were processed).</exception>
    public async Task<PipelineStats> RunAsync(CancellationToken stop)
    {
        using var internalAbort = new CancellationTokenSource();
        using var captureStop = CancellationTokenSource.CreateLinkedTokenSource(stop, internalAbort.Token);
        var frames = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(_settings.CaptureCapacity)
            {
                FullMode = _source.IsPaced ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = true,
            },
            OnFrameDropped);
        var analysed = Channel.CreateBounded<AnalysedFrame>(new BoundedChannelOptions(_settings.ScoreMapBuffers) { SingleReader = true, SingleWriter = true });
        var freeMaps = Channel.CreateUnbounded<ScoreMap>();
        for (var i = 0; i < _settings.ScoreMapBuffers; i++)
        {
            freeMaps.Writer.TryWrite(new ScoreMap(_analyzer.MapWidth, _analyzer.MapHeight));
        }

        var capture = Task.Run(() => CaptureAsync(frames.Writer, captureStop.Token, stop), CancellationToken.None);
        var inference = Task.Run(() => InferAsync(frames.Reader, freeMaps, analysed.Writer, internalAbort), CancellationToken.None);
        var hazards = Task.Run(() => HazardsAsync(analysed.Reader, freeMaps.Writer, internalAbort), CancellationToken.None);

        try
        {
            await Task.WhenAll(capture, inference, hazards).ConfigureAwait(false);
        }
        catch (Exception) when (new[] { capture, inference, hazards }.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } cause)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
            throw;
        }
        finally
        {
            // Left behind only when a stage failed; counted as dropped so that captured = processed + dropped always holds.
            while (frames.Reader.TryRead(out var leftover))
            {
                OnFrameDropped(leftover);
            }

            while (analysed.Reader.TryRead(out var leftover))
            {
                OnFrameDropped(leftover.Frame);
            }
        }

        var stats = GetStats();
        _logger.LogInformation(
            "Pipeline finished: {Captured} frames captured, {Processed} processed, {Dropped} dropped, {Events} events; {Fps:F2} fps on {Provider}",
            stats.FramesCaptured,
            stats.FramesProcessed,
            stats.FramesDropped,
            stats.EventsEnqueued,
            stats.InferenceFps,
            stats.Provider);
        return stats;
    }

    private (string Name, LatencyWindow Window)[] StageWindows() =>
    [
        (PipelineStats.Resize, _resize), (PipelineStats.Preprocess, _preprocess), (PipelineStats.Inference, _inference), (PipelineStats.Score, _score),
        (PipelineStats.Hazards, _hazards), (PipelineStats.Enqueue, _enqueue), (PipelineStats.CaptureToEnqueue, _endToEnd),
    ];

    private void OnFrameDropped(Frame frame)
    {
        Interlocked.Increment(ref _dropped);
        frame.Dispose();
    }

    private async Task CaptureAsync(ChannelWriter<Frame> writer, CancellationToken token, CancellationToken stop)
    {
        Exception? failure = null;
        try
        {
            while (!token.IsCancellationRequested && (_settings.MaxFrames is not { } max || Interlocked.Read(ref _captured) < max))
            {
                var frame = await _source.ReadAsync(token).ConfigureAwait(false);
                if (frame is null)
                {
                    _logger.LogInformation("Source {Source} ended after {Frames} frames", _source.Description, Interlocked.Read(ref _captured));
                    break;
                }

                Interlocked.Increment(ref _captured);
                _captureTimes.Add(Stopwatch.GetElapsedTime(_started).TotalSeconds);
                if (_settings.ResizeInCapture && (frame.Width != _analyzer.MapWidth || frame.Height != _analyzer.MapHeight))
                {
                    var resizeStart = Stopwatch.GetTimestamp();
                    var resized = new Mat();
                    Preprocessing.CameraPreprocessor.ResizeTo(frame.Image, resized, _analyzer.MapWidth, _analyzer.MapHeight);
                    frame.AttachModelSized(resized);
                    _resize.Add(Stopwatch.GetElapsedTime(resizeStart).TotalMilliseconds);
                }
                try
                {
                    await writer.WriteAsync(frame, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    OnFrameDropped(frame); // captured while stopping: counted, so captured = processed + dropped holds
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _logger.LogInformation("Stop requested: capture stopped, draining the pipeline");
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private async Task InferAsync(ChannelReader<Frame> frames, Channel<ScoreMap> freeMaps, ChannelWriter<AnalysedFrame> output, CancellationTokenSource abort)
    {
        Exception? failure = null;
        try
        {
            await foreach (var frame in frames.ReadAllAsync(abort.Token).ConfigureAwait(false))
            {
                ScoreMap map;
                try
                {
                    map = await freeMaps.Reader.ReadAsync(abort.Token).ConfigureAwait(false);
                    var timings = _analyzer.Analyze(frame.ModelSized ?? frame.Image, map);
                    _preprocess.Add(timings.PreprocessMs);
                    _inference.Add(timings.InferenceMs);
                    _score.Add(timings.ScoreMs);
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }

                try
                {
                    await output.WriteAsync(new AnalysedFrame(frame, map), abort.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    OnFrameDropped(frame); // another stage failed
                    throw;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
        {
            failure = ex;
            await abort.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private async Task HazardsAsync(ChannelReader<AnalysedFrame> input, ChannelWriter<ScoreMap> freeMaps, CancellationTokenSource abort)
    {
        var hazards = new List<Hazard>();
        var events = new List<HazardEvent>();
        long lastFrameId = -1;
        var lastTimestamp = DateTimeOffset.UtcNow;
        int lastWidth = 1, lastHeight = 1;
        try
        {
            // Not cancelled by the stop token: frames already analysed are always finished and their alerts enqueued.
            while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (input.TryRead(out var item))
                {
                    using var frame = item.Frame;
                    var start = Stopwatch.GetTimestamp();
                    _extractor.Extract(item.Map, frame.Width, frame.Height, hazards);
                    freeMaps.TryWrite(item.Map);
                    events.Clear();
                    _tracker.Update(frame.Id, frame.CaptureTimestamp, frame.Width, frame.Height, hazards, events);
                    var extracted = Stopwatch.GetTimestamp();
                    _hazards.Add(Stopwatch.GetElapsedTime(start, extracted).TotalMilliseconds);
                    await PublishAsync(events).ConfigureAwait(false);
                    _enqueue.Add(Stopwatch.GetElapsedTime(extracted).TotalMilliseconds);
                    await NotifyAsync(frame, events).ConfigureAwait(false);
                    Interlocked.Increment(ref _processed);
                    _processedTimes.Add(Stopwatch.GetElapsedTime(_started).TotalSeconds);
                    _endToEnd.Add(Stopwatch.GetElapsedTime(frame.CaptureTicks).TotalMilliseconds);
                    (lastFrameId, lastTimestamp, lastWidth, lastHeight) = (frame.Id, frame.CaptureTimestamp, frame.Width, frame.Height);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await abort.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            events.Clear();
            _tracker.EndAll(lastFrameId, lastTimestamp, lastWidth, lastHeight, events);
            await PublishAsync(events).ConfigureAwait(false);
            Volatile.Write(ref _active, 0);
        }
    }

    private async Task PublishAsync(List<HazardEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        // The frame's events are stored together (one fsync on the file queue) before any of them is reported.
        await _queue.EnqueueAsync(events, CancellationToken.None).ConfigureAwait(false);
        foreach (var hazardEvent in events)
        {
            Interlocked.Increment(ref _events);
            _logger.LogInformation(
                "Hazard {Type} {Id} frame {Frame}: box {X},{Y} {W}x{H}, score max {Max:F3}, on road {OnRoad}",
                hazardEvent.Type,
                hazardEvent.Id,
                hazardEvent.FrameId,
                hazardEvent.Bbox.X,
                hazardEvent.Bbox.Y,
                hazardEvent.Bbox.Width,
                hazardEvent.Bbox.Height,
                hazardEvent.ScoreMax,
                hazardEvent.OnRoad);
            EventEnqueued?.Invoke(hazardEvent);
        }
    }

    private async Task NotifyAsync(Frame frame, List<HazardEvent> events)
    {
        Volatile.Write(ref _active, _tracker.ActiveCount);
        if (_observer is null || !events.Exists(e => e.Type is HazardEventType.New or HazardEventType.End))
        {
            return;
        }

        try
        {
            var active = _tracker.Active;
            await _observer.OnHazardStateAsync(new HazardState(frame.Id, frame.CaptureTimestamp, active), CancellationToken.None).ConfigureAwait(false);
            // One JPEG per frame at most (it shows every active hazard), however many hazards were confirmed in it.
            if (events.Find(e => e.Type == HazardEventType.New) is { } confirmed)
            {
                var jpeg = RenderSnapshot(frame.Image, active, _settings.SnapshotJpegQuality);
                await _observer.OnSnapshotAsync(new HazardSnapshot(confirmed.Id, frame.Id, frame.CaptureTimestamp, jpeg), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Pipeline observer failed on frame {Frame}: {Reason}", frame.Id, ex.Message);
        }
    }

    /// <summary>JPEG of <paramref name="bgr"/> with each active hazard's box and id drawn.</summary>
    public static byte[] RenderSnapshot(Mat bgr, IReadOnlyList<ActiveHazard> active, int quality)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(active);
        using var canvas = bgr.Clone();
        var thickness = Math.Max(2, bgr.Width / 400);
        foreach (var hazard in active)
        {
            var box = hazard.Latest.Bbox;
            Cv2.Rectangle(canvas, new Rect(box.X, box.Y, box.Width, box.Height), new Scalar(0, 0, 255), thickness);
            Cv2.PutText(canvas, $"{hazard.Id} {hazard.Latest.ScoreMax:F2}", new Point(box.X, Math.Max(12, box.Y - 4)), HersheyFonts.HersheySimplex, 0.5, new Scalar(0, 0, 255), 1);
        }

        return canvas.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
    }

    private readonly record struct AnalysedFrame(Frame Frame, ScoreMap Map);
}
