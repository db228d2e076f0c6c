using System.Diagnostics;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using MQTTnet;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>
/// Issue #13 items 1, 7, 8: a real mosquitto frozen with SIGSTOP (alive, sockets open, answering nothing) and resumed.
/// A TCP proxy in front of it counts every connection attempt of the service.
/// </summary>
public sealed class BrokerStallTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(40);
    private readonly string _dir = TestPaths.NewTempDirectory();
    private readonly ITestOutputHelper _output;

    public BrokerStallTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MqttSettings Settings(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        DeviceId = "car-stall",
        ReconnectMinDelay = TimeSpan.FromMilliseconds(250),
        ReconnectMaxDelay = TimeSpan.FromSeconds(4),
        OperationTimeout = TimeSpan.FromSeconds(2),
        KeepAlive = TimeSpan.FromSeconds(5),
    };

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bounded;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_stalled_broker_that_recovers_gets_every_event_once_in_order_with_bounded_reconnects_and_never_blocks_the_caller()
    {
        using var broker = await MosquittoProcess.StartAsync(Path.Combine(_dir, "broker"));
        await using var proxy = new TcpProxy(broker.Port);
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        await using var service = new MqttAlertService(Settings(proxy.Port), queue);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", broker.Port, service.Topics.Hazards, persistentSession: true);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);

        const int before = 5, during = 20, n = before + during;
        for (var i = 0; i < before; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
        }

        await WaitAsync(() => queue.PendingCount == 0, "first events acknowledged");
        var attemptsBefore = proxy.AcceptedCount;

        broker.Freeze();
        var stall = Stopwatch.StartNew();
        var slowestOffer = TimeSpan.Zero;
        var active = new[] { TestEvents.Active("h-1", new BoundingBox(1, 2, 3, 4), 0.01, 0.9f, true, TestEvents.Epoch) };
        for (var i = before; i < n; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);

            // What the hazard stage does on a new / end event: must return at once while the broker answers nothing.
            var t = Stopwatch.StartNew();
            service.OfferState(i % 2 == 0 ? active : [], TestEvents.Epoch);
            service.OfferSnapshot(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 });
            slowestOffer = t.Elapsed > slowestOffer ? t.Elapsed : slowestOffer;
            await Task.Delay(400);
        }

        await Task.Delay(TimeSpan.FromSeconds(14) - stall.Elapsed);
        var stalled = stall.Elapsed;
        var attemptsDuringStall = proxy.AcceptedCount - attemptsBefore;
        broker.Thaw();

        await WaitAsync(() => queue.PendingCount == 0, "queue drained after the broker resumed");
        await sub.WaitUntilAsync(m => m.Select(x => HazardAssertions.CheckSchema(x.Payload)).Distinct().Count() >= n, Bounded, $"all {n} events");
        await Task.Delay(500); // let any duplicate arrive before counting
        var seqs = sub.Messages.Select(m => HazardAssertions.CheckSchema(m.Payload)).ToList();
        _output.WriteLine($"stall {stalled.TotalSeconds:F1} s: {attemptsDuringStall} connection attempt(s) during the stall ({attemptsDuringStall * 60 / stalled.TotalSeconds:F1}/min), " +
            $"{proxy.AcceptedCount - attemptsBefore} until recovered; service: {service.ConnectAttempts} attempts, {service.Connections} connections; " +
            $"{seqs.Count} messages for {n} events; slowest OfferState+OfferSnapshot {slowestOffer.TotalMilliseconds:F2} ms; load {File.ReadAllText("/proc/loadavg").Trim()}");

        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), seqs.Distinct());
        Assert.True(seqs.Count - n <= 1, $"at most the one event in flight when the broker froze may come twice, got {seqs.Count - n} duplicates");
        Assert.Equal(n, service.PublishedCount);

        // The old loop made thousands of connections; <= 20 per minute of stall is the target (+1 for the attempt in progress).
        Assert.InRange(attemptsDuringStall, 1, (int)Math.Ceiling(20 * stalled.TotalMinutes) + 1);
        Assert.True(slowestOffer < TimeSpan.FromMilliseconds(200), $"OfferState/OfferSnapshot blocked {slowestOffer.TotalMilliseconds} ms");
        Assert.True(service.IsConnected);
    }

    [Fact]
    public async Task Latest_state_and_snapshot_offered_during_the_stall_are_published_after_recovery_and_state_precedes_online()
    {
        using var broker = await MosquittoProcess.StartAsync(Path.Combine(_dir, "broker"));
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        await using var service = new MqttAlertService(Settings(broker.Port) with { DeviceId = "car-slot" }, queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", broker.Port, "edgeseg/car-slot/#", persistentSession: true);

        broker.Freeze();
        service.OfferState([], TestEvents.Epoch);
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None); // its PUBACK never comes: the connection is declared lost
        var latest = new[] { TestEvents.Active("h-9", new BoundingBox(5, 6, 7, 8), 0.02, 0.7f, false, TestEvents.Epoch) };
        for (var i = 0; i < 50; i++)
        {
            service.OfferSnapshot(new byte[] { 0xFF, 0xD8, (byte)i, 0xFF, 0xD9 });
        }

        service.OfferState(latest, TestEvents.Epoch);
        await WaitAsync(() => !service.IsConnected, "the service noticing the stall");
        await Task.Delay(1000);
        broker.Thaw();

        await WaitAsync(() => queue.PendingCount == 0 && service.IsConnected, "recovered");
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == service.Topics.Snapshot) && m.Count(x => x.Text == "online") >= 1, Bounded, "snapshot and online after recovery");
        await Task.Delay(500);
        var snapshots = sub.On(service.Topics.Snapshot);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 49, 0xFF, 0xD9 }, snapshots[^1].Payload); // latest wins
        Assert.True(snapshots.Count <= 2, $"superseded snapshots were published: {snapshots.Count}");

        var all = sub.Messages.ToList();
        var online = all.FindLastIndex(m => m.Topic == service.Topics.Available && m.Text == "online");
        var stateBeforeOnline = all.FindLastIndex(online, m => m.Topic == service.Topics.State);
        Assert.True(stateBeforeOnline >= 0, "a fresh state must be published before online");
        using var doc = JsonDocument.Parse(all[stateBeforeOnline].Payload);
        Assert.Equal(1, doc.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("h-9", doc.RootElement.GetProperty("hazards")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_stale_retained_state_left_by_a_crash_is_replaced_before_online_on_start()
    {
        using var broker = await MosquittoProcess.StartAsync(Path.Combine(_dir, "broker"));
        var topics = MqttTopics.For("edgeseg", "car-crash");

        // The previous run crashed with one hazard active: its retained state still says count 1.
        var stale = MqttPayloads.State([TestEvents.Active("h-old", new BoundingBox(1, 1, 1, 1), 0.1, 1, true, TestEvents.Epoch)], TestEvents.Epoch, TestEvents.Epoch);
        using (var crashed = new MQTTnet.MqttClientFactory().CreateMqttClient())
        {
            await crashed.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("edgeseg-car-crash").Build());
            await crashed.PublishAsync(new MQTTnet.MqttApplicationMessageBuilder().WithTopic(topics.State).WithPayload(stale).WithRetainFlag(true)
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await crashed.DisconnectAsync();
        }

        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        await using var service = new MqttAlertService(Settings(broker.Port) with { DeviceId = "car-crash" }, queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);

        await using var late = await TestSubscriber.ConnectAsync("127.0.0.1", broker.Port, topics.State);
        await late.WaitUntilAsync(m => m.Count >= 1, Bounded, "retained state");
        using var doc = JsonDocument.Parse(late.Messages[0].Payload);
        Assert.Equal(0, doc.RootElement.GetProperty("count").GetInt32());
        Assert.True(late.Messages[0].Retain);
    }
}
