using Edge.Camera;
using Edge.Camera.Sources;
using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using Edge.Runtime.Hosting;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Tracking;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Pipeline;

public sealed class SegmentationPipelineTests
{
    private static readonly HazardSettings WholeFrame = new() { RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.None }, OpenKernelPx = 0, CloseKernelPx = 0, MinAreaPx = 1 };

    [Fact]
    public async Task Slow_inference_drops_oldest_frames_counts_and_disposes_them()
    {
        using var source = new SyntheticFrameSource(32, 16, frameCount: 40, interval: TimeSpan.FromMilliseconds(2));
        var analyzer = new FakeAnalyzer(TimeSpan.FromMilliseconds(30));
        var (pipeline, queue) = Build(source, analyzer, new PipelineSettings { CaptureCapacity = 1 });

        var stats = await pipeline.RunAsync(CancellationToken.None);

        Assert.Equal(40, stats.FramesCaptured);
        Assert.True(stats.FramesDropped > 0, "a 30 ms consumer behind a 2 ms camera must drop frames");
        Assert.Equal(stats.FramesCaptured, stats.FramesProcessed + stats.FramesDropped);
        Assert.Equal(stats.FramesProcessed, analyzer.Analysed.Count);
        Assert.True(analyzer.Analysed.SequenceEqual(analyzer.Analysed.Order()), "frames are analysed in capture order");
        Assert.Contains(39L, analyzer.Analysed); // the newest frame survives
        Assert.All(source.ProducedFrames, f => Assert.True(f.IsDisposed, $"frame {f.Id} not disposed"));
        Assert.Empty(queue.Events);
    }

    [Theory]
    [InlineData(null, 0)] // the default (one slot): the newest frame
    [InlineData(2, 1)] // two slots: the older of the two newest, one camera interval older
    public async Task Paced_source_behind_a_slow_network_hands_it_the_newest_frame_by_default(int? capacity, long typicalLag)
    {
        using var source = new SyntheticFrameSource(32, 16, frameCount: 30, interval: TimeSpan.FromMilliseconds(3));
        var lags = new List<long>();
        // A network slower than the camera, without timing luck: each inference lasts until the camera has produced three
        // more frames. Recorded: how many frames behind the newest one produced inference starts on.
        var analyzer = new FakeAnalyzer(TimeSpan.Zero, onAnalyze: id =>
        {
            var produced = source.ProducedFrames.Count;
            lags.Add(produced - 1 - id);
            SpinWait.SpinUntil(() => source.ProducedFrames.Count >= produced + 3 || source.ProducedFrames.Count >= 30, TimeSpan.FromSeconds(5));
        });
        var settings = capacity is { } c ? new PipelineSettings { CaptureCapacity = c } : new PipelineSettings();
        var (pipeline, _) = Build(source, analyzer, settings);

        var stats = await pipeline.RunAsync(CancellationToken.None);

        Assert.True(stats.FramesDropped > 0, "a network slower than the camera drops frames");
        Assert.All(lags, lag => Assert.InRange(lag, 0, typicalLag + 1)); // + 1: a frame read from the camera but not yet queued
        var median = lags.Order().ElementAt(lags.Count / 2);
        Assert.Equal(typicalLag, median);
    }

    [Fact]
    public async Task Unpaced_source_processes_every_frame_and_reports_stats()
    {
        using var source = new SyntheticFrameSource(32, 16, frameCount: 12);
        var analyzer = new FakeAnalyzer(TimeSpan.FromMilliseconds(1));
        var (pipeline, _) = Build(source, analyzer, new PipelineSettings());

        var stats = await pipeline.RunAsync(CancellationToken.None);

        Assert.Equal(12, stats.FramesProcessed);
        Assert.Equal(0, stats.FramesDropped);
        Assert.Equal("fake", stats.Provider);
        Assert.True(stats.InferenceFps > 0);
        Assert.Equal(12, stats.Latency[PipelineStats.CaptureToEnqueue].Count);
        Assert.True(stats.Latency[PipelineStats.Inference].P50Ms >= 1);
        Assert.All(source.ProducedFrames, f => Assert.True(f.IsDisposed));
    }

    [Fact]
    public async Task Hazard_in_consecutive_frames_is_enqueued_as_new_then_end_with_snapshot()
    {
        using var source = new SyntheticFrameSource(64, 32, frameCount: 6);
        var analyzer = new FakeAnalyzer(TimeSpan.Zero, hazardUntilFrame: 4);
        var observer = new RecordingObserver();
        var (pipeline, queue) = Build(source, analyzer, new PipelineSettings(), observer, new TrackingSettings { ConfirmFrames = 2, EndAfterMissedFrames = 2 });

        await pipeline.RunAsync(CancellationToken.None);

        var events = queue.Events.ToList();
        Assert.Equal([HazardEventType.New, HazardEventType.End], events.Select(e => e.Type));
        Assert.Equal(new BoundingBox(16, 8, 16, 8), events[0].Bbox); // map 32x16 block (8,4,8,4) scaled 2x to the 64x32 frame
        Assert.Equal(events[0].Id, events[1].Id);
        var snapshot = Assert.Single(observer.Snapshots);
        Assert.Equal(events[0].Id, snapshot.HazardId);
        using var jpeg = Cv2.ImDecode(snapshot.Jpeg.ToArray(), ImreadModes.Color);
        Assert.Equal(64, jpeg.Width);
        Assert.Equal([1, 0], observer.States.Select(s => s.Active.Count));
    }

    [Fact]
    public async Task Two_hazards_confirmed_in_the_same_frame_get_one_snapshot_showing_both()
    {
        using var source = new SyntheticFrameSource(64, 32, frameCount: 6);
        var observer = new RecordingObserver();
        var (pipeline, queue) = Build(source, new FakeAnalyzer(TimeSpan.Zero, hazardUntilFrame: 4, twoHazards: true), new PipelineSettings(), observer,
            new TrackingSettings { ConfirmFrames = 2, EndAfterMissedFrames = 2 });

        await pipeline.RunAsync(CancellationToken.None);

        var news = queue.Events.Where(e => e.Type == HazardEventType.New).ToList();
        Assert.Equal(2, news.Count);
        Assert.Equal(news[0].FrameId, news[1].FrameId);
        var snapshot = Assert.Single(observer.Snapshots); // issue #13 item 8: one JPEG encoded per frame, not one per new hazard
        Assert.Equal(news[0].FrameId, snapshot.FrameId);
        Assert.Equal(2, observer.States[0].Active.Count);
    }

    [Fact]
    public async Task Stop_token_stops_capture_and_completes()
    {
        // The stop fires while frame 5 is being produced (not on a timer: a loaded CI host may not capture anything in a
        // fixed time), so capture must end with that frame and no frame after it may be read.
        using var stop = new CancellationTokenSource();
        using var source = new SyntheticFrameSource(32, 16, interval: TimeSpan.FromMilliseconds(5), paint: (id, _) =>
        {
            if (id == 5)
            {
                stop.Cancel();
            }
        });
        var (pipeline, _) = Build(source, new FakeAnalyzer(TimeSpan.FromMilliseconds(1)), new PipelineSettings { MaxFrames = 50 }); // a bound, should the stop be ignored

        var stats = await pipeline.RunAsync(stop.Token);

        Assert.Equal(6, stats.FramesCaptured);
        Assert.Equal(6, source.ProducedFrames.Count);
        Assert.Equal(stats.FramesCaptured, stats.FramesProcessed + stats.FramesDropped);
        Assert.True(stats.FramesProcessed >= 1, "the newest frame written before the stop is drained, not discarded");
        Assert.All(source.ProducedFrames, f => Assert.True(f.IsDisposed));
    }

    [Fact]
    public async Task Max_frames_limits_the_run()
    {
        using var source = new SyntheticFrameSource(32, 16);
        var (pipeline, _) = Build(source, new FakeAnalyzer(TimeSpan.Zero), new PipelineSettings { MaxFrames = 7 });
        var stats = await pipeline.RunAsync(CancellationToken.None);
        Assert.Equal(7, stats.FramesCaptured);
        Assert.Equal(7, stats.FramesProcessed);
    }

    [Fact]
    public async Task Capture_stage_resizes_frames_to_the_input_size_unless_turned_off()
    {
        foreach (var resizeInCapture in new[] { true, false })
        {
            using var source = new SyntheticFrameSource(64, 48, frameCount: 5);
            var analyzer = new FakeAnalyzer(TimeSpan.Zero);
            var (pipeline, _) = Build(source, analyzer, new PipelineSettings { ResizeInCapture = resizeInCapture });
            var stats = await pipeline.RunAsync(CancellationToken.None);
            Assert.Equal(5, stats.FramesProcessed);
            Assert.All(analyzer.Sizes, size => Assert.Equal(resizeInCapture ? new OpenCvSharp.Size(32, 16) : new OpenCvSharp.Size(64, 48), size));
            Assert.Equal([0L, 1L, 2L, 3L, 4L], analyzer.Analysed); // the painted colour survives the resize
            Assert.Equal(resizeInCapture, stats.Latency.ContainsKey(PipelineStats.Resize));
            Assert.All(source.ProducedFrames, f => Assert.True(f.IsDisposed && f.ModelSized is null, $"frame {f.Id} or its resized copy not disposed"));
        }
    }

    [Fact]
    public async Task Source_failure_surfaces_after_draining()
    {
        using var source = new FailingSource(3);
        var (pipeline, _) = Build(source, new FakeAnalyzer(TimeSpan.Zero), new PipelineSettings());
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => pipeline.RunAsync(CancellationToken.None));
        Assert.Contains("broken-cam", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, pipeline.GetStats().FramesProcessed);
    }

    private static (SegmentationPipeline Pipeline, InMemoryAlertQueue Queue) Build(IFrameSource source, FakeAnalyzer analyzer, PipelineSettings settings, IPipelineObserver? observer = null, TrackingSettings? tracking = null)
    {
        var queue = new InMemoryAlertQueue();
        var extractor = new HazardExtractor(WholeFrame, 0.5f, new WholeFrameArea());
        var tracker = new HazardTracker(tracking ?? new TrackingSettings(), "fake-model", "Fake", "t-");
        return (new SegmentationPipeline(source, analyzer, extractor, tracker, queue, settings, NullLogger.Instance, observer), queue);
    }

    private sealed class FakeAnalyzer(TimeSpan delay, long hazardUntilFrame = -1, bool twoHazards = false, Action<long>? onAnalyze = null) : IFrameAnalyzer
    {
        private long _calls;

        public List<long> Analysed { get; } = [];

        public List<OpenCvSharp.Size> Sizes { get; } = [];

        public string Provider => "fake";

        public int MapWidth => 32;

        public int MapHeight => 16;

        public AnalyzerTimings Analyze(Mat bgr, ScoreMap map)
        {
            onAnalyze?.Invoke(bgr.At<Vec3b>(0, 0).Item0);
            if (delay > TimeSpan.Zero)
            {
                Thread.Sleep(delay);
            }

            var id = _calls++;
            Sizes.Add(bgr.Size());
            Analysed.Add((long)bgr.At<Vec3b>(0, 0).Item0); // SyntheticFrameSource paints id % 256
            map.Scores.AsSpan().Clear();
            if (id < hazardUntilFrame)
            {
                for (var y = 4; y < 8; y++)
                {
                    map.Scores.AsSpan((y * 32) + 8, 8).Fill(0.9f);
                }

                for (var y = 10; twoHazards && y < 14; y++)
                {
                    map.Scores.AsSpan((y * 32) + 22, 6).Fill(0.9f);
                }
            }

            return new AnalyzerTimings(0, delay.TotalMilliseconds, 0);
        }

        public void Dispose()
        {
        }
    }

    private sealed class RecordingObserver : IPipelineObserver
    {
        public List<HazardState> States { get; } = [];

        public List<HazardSnapshot> Snapshots { get; } = [];

        public ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken)
        {
            States.Add(state);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken)
        {
            Snapshots.Add(snapshot);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingSource(int framesBeforeFailure) : IFrameSource
    {
        private long _next;

        public string Description => "broken-cam";

        public bool IsPaced => false;

        public long Reconnects => 0;

        public ValueTask OpenAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
        {
            if (_next >= framesBeforeFailure)
            {
                throw new FrameSourceException("broken-cam", "Source 'broken-cam' was lost and could not be reopened.");
            }

            return ValueTask.FromResult<Frame?>(new Frame(_next++, DateTimeOffset.UtcNow, new Mat(8, 8, MatType.CV_8UC3, Scalar.All(0))));
        }

        public void Dispose()
        {
        }
    }
}
