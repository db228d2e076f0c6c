using System.Diagnostics;
using Edge.Runtime.Alerts;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>End to end against a real mosquitto started by the test, with an independent MQTTnet subscriber.</summary>
public sealed class MosquittoEndToEndTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private readonly string _dir = TestPaths.NewTempDirectory();
    private readonly ITestOutputHelper _output;

    public MosquittoEndToEndTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MqttSettings Settings(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        DeviceId = "car-e2e",
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        OperationTimeout = TimeSpan.FromSeconds(5),
    };

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bounded;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Delivers_every_event_in_order_to_an_independent_subscriber_and_reports_throughput()
    {
        using var broker = await MosquittoProcess.StartAsync(Path.Combine(_dir, "broker"));
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        await using var service = new MqttAlertService(Settings(broker.Port), queue);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", broker.Port, service.Topics.Hazards);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);

        const int n = 500;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
        }

        var enqueued = Stopwatch.GetElapsedTime(started);
        await sub.WaitUntilAsync(m => m.Count >= n, Bounded, $"{n} events");
        var delivered = Stopwatch.GetElapsedTime(started);
        await WaitAsync(() => queue.PendingCount == 0, "queue drained");
        _output.WriteLine($"mosquitto: {n} events enqueued (fsync) in {enqueued.TotalMilliseconds:F0} ms, all received by the subscriber after {delivered.TotalMilliseconds:F0} ms = {n / delivered.TotalSeconds:F0} events/s end to end");

        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), sub.Messages.Select(m => HazardAssertions.CheckSchema(m.Payload)));
        Assert.Equal(n, service.PublishedCount);
    }

    [Fact]
    public async Task Redelivers_unacknowledged_events_after_broker_kill_and_restart_in_order_with_none_missing()
    {
        using var broker = await MosquittoProcess.StartAsync(Path.Combine(_dir, "broker"));
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        await using var service = new MqttAlertService(Settings(broker.Port), queue);

        // A persistent subscriber session (saved by mosquitto's autosave) so the subscriber misses nothing across the restart.
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", broker.Port, service.Topics.Hazards, persistentSession: true);
        await WaitAsync(() => File.Exists(broker.PersistenceFile), "mosquitto persistence file");
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);

        const int first = 40, inFlight = 30, afterRestart = 30, n = first + inFlight + afterRestart;
        for (var i = 0; i < first; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
        }

        await sub.WaitUntilAsync(m => m.Count >= first, Bounded, "first batch");
        await WaitAsync(() => queue.PendingCount == 0, "first batch acknowledged");

        // Freeze the broker, let the publisher send into it (no PUBACK can come), then kill it: those events are in flight.
        broker.Freeze();
        for (var i = first; i < first + inFlight; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
        }

        await Task.Delay(300);
        Assert.Equal(inFlight, queue.PendingCount);
        broker.Kill();
        await WaitAsync(() => !service.IsConnected, "service noticing the broker is gone");
        for (var i = first + inFlight; i < n; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None); // stored while the broker is down
        }

        await Task.Delay(300);
        await broker.RestartAsync();

        await sub.WaitUntilAsync(m => m.Select(x => HazardAssertions.CheckSchema(x.Payload)).Distinct().Count() >= n, Bounded, $"all {n} events after restart");
        await WaitAsync(() => queue.PendingCount == 0, "queue drained after restart");
        var seqs = sub.Messages.Select(m => HazardAssertions.CheckSchema(m.Payload)).ToList();
        _output.WriteLine($"received {seqs.Count} messages for {n} events ({seqs.Count - n} duplicate(s)); subscriber reconnects: {sub.ReconnectCount}");

        // Distinct keeps first arrivals in arrival order: every event arrived, first in seq order. A duplicate may come later
        // than a newer event when the restarted broker redelivers a message its subscriber session had not acknowledged
        // (QoS 1 at-least-once on the broker -> subscriber leg); consumers dedupe on seq (docs/mqtt.md).
        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), seqs.Distinct());

        Assert.True(sub.ReconnectCount >= 1, "the subscriber should have reconnected to the restarted broker");
        Assert.True(service.IsConnected);
    }
}
