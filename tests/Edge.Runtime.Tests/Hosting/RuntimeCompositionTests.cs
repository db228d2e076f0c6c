using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Hosting;

/// <summary>
/// The composition root as production uses it: real durable queue in a temp folder, the embedded broker, a subscriber
/// on the hazards topic; and the order it builds in (model → source → queue → MQTT → GPS → pipeline).
/// </summary>
public sealed class RuntimeCompositionTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);
    private readonly string _dir = TestPaths.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RuntimeSettings Settings(string source, string queueDir, long frames) => new()
    {
        DeviceId = "compose-car",
        Source = new() { Uri = source },
        Model = new() { ModelPath = ShutdownTests.Model(), Providers = ["cpu"], IntraOpThreads = 1 },
        Scoring = new() { UseOperatingPoint = false },
        Tracking = new() { ConfirmFrames = 1 },
        Pipeline = new() { MaxFrames = frames },
        Mqtt = new() { EmbeddedBrokerPort = 0 },
        Queue = new() { Directory = queueDir },
        StatsIntervalSeconds = 0,
    };

    [Fact]
    public async Task Production_wiring_delivers_every_stored_event_to_a_subscriber_in_order()
    {
        var images = Path.Combine(TestPaths.Shared, "data", "Validation_Dataset", "RoadAnomaly21", "images");
        var queueDir = Path.Combine(_dir, "queue");
        await using var runtime = await RuntimeComposition.StartAsync(Settings(images, queueDir, 3), NullLoggerFactory.Instance, null, CancellationToken.None);
        var separator = runtime.Mqtt.BrokerEndpoint!.LastIndexOf(':');
        var port = int.Parse(runtime.Mqtt.BrokerEndpoint[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await using var subscriber = await TestSubscriber.ConnectAsync("127.0.0.1", port, runtime.Mqtt.Topics.Hazards);

        var stats = await runtime.RunAsync(CancellationToken.None);
        Assert.Equal(3, stats.FramesProcessed);
        Assert.True(stats.EventsEnqueued >= 2, $"expected new and end events, got {stats.EventsEnqueued}");
        await subscriber.WaitUntilAsync(m => m.Count >= stats.EventsEnqueued, Bounded, $"{stats.EventsEnqueued} hazard events");
        await runtime.StopAsync(CancellationToken.None);

        var received = subscriber.Messages.Select(m => HazardEventJson.Parse(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(1, (int)stats.EventsEnqueued).Select(i => (long)i), received.Select(r => r.Sequence));
        Assert.Equal(received.Count(r => r.Event.Type == HazardEventType.New), received.Count(r => r.Event.Type == HazardEventType.End));
        Assert.All(received, r =>
        {
            Assert.StartsWith("compose-car-", r.Event.Id, StringComparison.Ordinal);
            Assert.Equal(runtime.Card.Name, r.Event.Model);
        });
        Assert.Equal(0, runtime.Queue.PendingCount);
        Assert.Equal(stats.EventsEnqueued, runtime.Mqtt.PublishedCount);
    }

    [Fact]
    public async Task Source_comes_from_the_seam_and_fails_before_the_queue_is_created()
    {
        var queueDir = Path.Combine(_dir, "never-created");
        var asked = new List<string>();
        var options = new RuntimeCompositionOptions
        {
            SourceFactory = (sourceOptions, loggers) =>
            {
                asked.Add(sourceOptions.Uri);
                return new FrameSourceFactory(loggers).Create(sourceOptions);
            },
        };

        await Assert.ThrowsAsync<FrameSourceException>(() => RuntimeComposition.StartAsync(Settings("/no/such/clip.mp4", queueDir, 1), NullLoggerFactory.Instance, options, CancellationToken.None));

        Assert.Equal(["/no/such/clip.mp4"], asked);
        Assert.False(Directory.Exists(queueDir), "the queue was opened although the source failed first");
    }

    [Fact]
    public async Task Extra_observers_see_the_hazard_state_beside_the_mqtt_publisher()
    {
        var images = Path.Combine(TestPaths.Shared, "data", "Validation_Dataset", "RoadAnomaly21", "images");
        var observer = new CountingObserver();
        await using var runtime = await RuntimeComposition.StartAsync(Settings(images, Path.Combine(_dir, "q"), 2), NullLoggerFactory.Instance,
            new RuntimeCompositionOptions { Observers = [observer] }, CancellationToken.None);

        var stats = await runtime.RunAsync(CancellationToken.None);
        await runtime.StopAsync(CancellationToken.None);

        Assert.True(stats.EventsEnqueued > 0, "no hazard on two RoadAnomaly21 images");
        Assert.True(observer.States > 0, "the extra observer saw no hazard state");
    }

    private sealed class CountingObserver : IPipelineObserver
    {
        public int States { get; private set; }

        public ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken)
        {
            States++;
            return ValueTask.CompletedTask;
        }

        public ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
