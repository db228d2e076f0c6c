using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>The MQTT contract against the in-process MQTTnet broker.</summary>
public sealed class MqttAlertServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);
    private readonly string _dir = TestPaths.NewTempDirectory();
    private EmbeddedBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await EmbeddedBroker.StartAsync(0, null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private MqttSettings Settings(int? port = null) => new()
    {
        Host = "127.0.0.1",
        Port = port ?? _broker.Port,
        DeviceId = "car-7",
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
        OperationTimeout = TimeSpan.FromSeconds(3),
    };

    private FileAlertQueue OpenQueue(string name = "q") => FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, name) });

    [Fact]
    public async Task Publishes_retained_online_on_connect_and_retained_offline_on_clean_stop()
    {
        using var queue = OpenQueue();
        await using (var service = new MqttAlertService(Settings(), queue))
        {
            await service.StartAsync(CancellationToken.None);
            await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
            Assert.Equal("edgeseg/car-7/available", service.Topics.Available);

            await using var late = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, service.Topics.Available);
            await late.WaitUntilAsync(m => m.Count >= 1, Bounded, "retained online");
            Assert.Equal("online", late.Messages[0].Text);
            Assert.True(late.Messages[0].Retain);

            await service.StopAsync(CancellationToken.None).WaitAsync(Bounded);
            await late.WaitUntilAsync(m => m.Any(x => x.Text == "offline"), Bounded, "offline");
        }

        await using var after = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, "edgeseg/car-7/available");
        await after.WaitUntilAsync(m => m.Count >= 1, Bounded, "retained offline");
        Assert.Equal("offline", after.Messages[0].Text);
        Assert.True(after.Messages[0].Retain);
    }

    [Fact]
    public async Task Last_will_publishes_retained_offline_when_the_connection_drops_abruptly()
    {
        using var queue = OpenQueue();
        await using var proxy = new TcpProxy(_broker.Port);
        await using var service = new MqttAlertService(Settings(proxy.Port), queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        await using var watcher = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, service.Topics.Available);
        await watcher.WaitUntilAsync(m => m.Count >= 1 && m[^1].Text == "online", Bounded, "online");

        proxy.CutAll(); // TCP reset, no DISCONNECT packet: the broker must send the will

        await watcher.WaitUntilAsync(m => m[^1].Text == "offline", Bounded, "last will");
        await using var after = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, service.Topics.Available);
        await after.WaitUntilAsync(m => m.Count >= 1, Bounded, "retained will");
        Assert.Equal("offline", after.Messages[0].Text);
        Assert.True(after.Messages[0].Retain);
        Assert.False(service.IsConnected);
    }

    [Fact]
    public async Task Reconnects_after_a_dropped_connection_and_republishes_online_state_and_pending_events()
    {
        using var queue = OpenQueue();
        await using var proxy = new TcpProxy(_broker.Port);
        await using var service = new MqttAlertService(Settings(proxy.Port), queue);
        await using var watcher = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, "edgeseg/car-7/#");
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        service.OfferState([], TestEvents.Epoch);
        await watcher.WaitUntilAsync(m => m.Any(x => x.Topic == service.Topics.State), Bounded, "first state");

        proxy.CutAll();
        await watcher.WaitUntilAsync(m => m.Any(x => x.Text == "offline"), Bounded, "last will");
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None); // stored while disconnected
        proxy.Resume();

        await watcher.WaitUntilAsync(m => m.Any(x => x.Topic == service.Topics.Hazards), Bounded, "event after reconnect");
        var availability = watcher.On(service.Topics.Available).Select(x => x.Text).ToList();
        Assert.Equal(["online", "offline", "online"], availability);
        // A fresh retained state right before each "online" (issue #13 item 8); the offered one may be superseded by it.
        var all = watcher.Messages.ToList();
        var onlines = Enumerable.Range(0, all.Count).Where(i => all[i].Topic == service.Topics.Available && all[i].Text == "online").ToList();
        var will = all.FindIndex(m => m.Text == "offline");
        Assert.Equal(service.Topics.State, all[onlines[0] - 1].Topic);
        Assert.Equal(service.Topics.State, all[onlines[1] - 1].Topic);
        Assert.True(onlines[1] - 1 > will, "state republished after the reconnect");
        Assert.InRange(watcher.On(service.Topics.State).Count, 2, 3);
        var order = watcher.Messages.Select(x => x.Topic).Where(t => t != service.Topics.State).ToList();
        Assert.Equal([service.Topics.Available, service.Topics.Available, service.Topics.Available, service.Topics.Hazards], order);
        Assert.True(service.IsConnected);
    }

    [Fact]
    public async Task Publishes_every_queued_event_in_order_with_schema_1_and_acknowledges_it()
    {
        using var queue = OpenQueue();
        await using var service = new MqttAlertService(Settings(), queue);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, service.Topics.Hazards);
        await service.StartAsync(CancellationToken.None);
        const int n = 60;
        for (var i = 0; i < n; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i, i % 2 == 0 ? new GeoFix(45, 9, 50, TestEvents.Epoch) : null), CancellationToken.None);
        }

        await sub.WaitUntilAsync(m => m.Count >= n, Bounded, $"{n} hazard events");
        var seqs = sub.Messages.Select(m => HazardAssertions.CheckSchema(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), seqs);
        using (var first = JsonDocument.Parse(sub.Messages[0].Payload))
        {
            Assert.Equal("h-0", first.RootElement.GetProperty("id").GetString());
            Assert.Equal(50, first.RootElement.GetProperty("gps").GetProperty("speed_kmh").GetDouble());
        }

        using (var second = JsonDocument.Parse(sub.Messages[1].Payload))
        {
            Assert.False(second.RootElement.TryGetProperty("gps", out _));
        }

        Assert.All(sub.Messages, m => Assert.False(m.Retain));
        var deadline = DateTime.UtcNow + Bounded;
        while (queue.PendingCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, queue.PendingCount);
        Assert.Equal(n, service.PublishedCount);
    }

    [Fact]
    public async Task Redelivers_events_queued_while_the_broker_was_unreachable_after_process_restart()
    {
        var deadPort = EmbeddedBroker.FreeLoopbackPort();
        using (var queue = OpenQueue("restart"))
        {
            await using var offline = new MqttAlertService(Settings(deadPort), queue);
            await offline.StartAsync(CancellationToken.None);
            for (var i = 0; i < 5; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }

            await Task.Delay(200);
            Assert.False(offline.IsConnected);
            await offline.StopAsync(CancellationToken.None).WaitAsync(Bounded);
            Assert.Equal(5, queue.PendingCount);
        }

        using var reopened = OpenQueue("restart");
        await using var service = new MqttAlertService(Settings(), reopened);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, service.Topics.Hazards);
        await service.StartAsync(CancellationToken.None);
        await sub.WaitUntilAsync(m => m.Count >= 5, Bounded, "5 events after restart");
        Assert.Equal([1L, 2, 3, 4, 5], sub.Messages.Select(m => HazardAssertions.CheckSchema(m.Payload)));
    }

    [Fact]
    public async Task State_is_retained_and_stats_carry_pipeline_and_queue_fields()
    {
        using var queue = OpenQueue();
        await using var service = new MqttAlertService(Settings(), queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        var active = new[]
        {
            TestEvents.Active("h-3", new BoundingBox(1, 2, 3, 4), 0.01, 0.8f, true, TestEvents.Epoch),
        };
        service.OfferState(active, TestEvents.Epoch.AddSeconds(2));
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, "edgeseg/car-7/#");
        // OfferState returns at once and a background task publishes it: the subscriber may first get the empty state
        // published on connect (retained), then the offered one. Wait for the offered one; it must be retained.
        static bool HasOne(byte[] payload)
        {
            using var d = JsonDocument.Parse(payload);
            return d.RootElement.GetProperty("count").GetInt32() == 1;
        }

        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == service.Topics.State && HasOne(x.Payload)), Bounded, "offered state");
        var state = sub.On(service.Topics.State).First(x => HasOne(x.Payload));
        await using (var late = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, service.Topics.State))
        {
            // A subscriber that connects afterwards gets it as the retained message.
            await late.WaitUntilAsync(m => m.Any(x => HasOne(x.Payload)), Bounded, "retained offered state");
            Assert.True(late.On(service.Topics.State).Last().Retain);
        }

        using (var doc = JsonDocument.Parse(state.Payload))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("count").GetInt32());
            var h = doc.RootElement.GetProperty("hazards")[0];
            Assert.Equal("h-3", h.GetProperty("id").GetString());
            Assert.Equal([1, 2, 3, 4], h.GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()));
            Assert.Equal("2025-06-01T12:00:02.000Z", h.GetProperty("last_seen").GetString());
        }

        var stats = new RuntimeStats
        {
            CaptureFps = 30,
            InferenceFps = 12.5,
            FramesDropped = 17,
            Provider = "cuda",
            Model = "enet-seed-560-void",
            LatencyMs = new Dictionary<string, StageLatency> { ["inference"] = new(40, 55, 61.5) },
        };
        await service.PublishStatsAsync(stats, CancellationToken.None);
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == service.Topics.Stats), Bounded, "stats");
        using (var doc = JsonDocument.Parse(sub.On(service.Topics.Stats)[0].Payload))
        {
            var r = doc.RootElement;
            Assert.Equal(12.5, r.GetProperty("inference_fps").GetDouble());
            Assert.Equal(61.5, r.GetProperty("latency_ms").GetProperty("inference").GetProperty("p99").GetDouble());
            Assert.Equal(17, r.GetProperty("frames_dropped").GetInt64());
            Assert.Equal("cuda", r.GetProperty("provider").GetString());
            Assert.Equal(0, r.GetProperty("alerts_pending").GetInt32());
            Assert.True(r.GetProperty("uptime_s").GetDouble() > 0);
        }

        service.OfferSnapshot(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 });
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == service.Topics.Snapshot), Bounded, "snapshot");
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, sub.On(service.Topics.Snapshot)[0].Payload);
    }

    [Fact]
    public async Task Stats_are_published_periodically_from_the_stats_source()
    {
        using var queue = OpenQueue();
        var calls = 0;
        RuntimeStats Source() => new() { CaptureFps = ++calls, InferenceFps = 1, FramesDropped = 0, Provider = "cpu", Model = "m" };
        await using var service = new MqttAlertService(Settings() with { StatsInterval = TimeSpan.FromMilliseconds(100) }, queue, statsSource: Source);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, "edgeseg/car-7/stats");
        await service.StartAsync(CancellationToken.None);
        await sub.WaitUntilAsync(m => m.Count >= 3, Bounded, "3 stats messages");
        Assert.All(sub.Messages, m => Assert.False(m.Retain));
    }

    [Fact]
    public async Task Uses_an_embedded_broker_when_none_is_configured_and_falls_back_to_a_free_port_when_busy()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var busyPort = ((IPEndPoint)busy.LocalEndpoint).Port;
        var logger = new CapturingLogger();
        using var factory = new LoggerFactory([logger]);
        using var queue = OpenQueue();
        await using var service = new MqttAlertService(new MqttSettings { DeviceId = "solo", EmbeddedBrokerPort = busyPort }, queue, factory);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        var endpoint = service.BrokerEndpoint!;
        Assert.StartsWith("127.0.0.1:", endpoint, StringComparison.Ordinal);
        var port = int.Parse(endpoint["127.0.0.1:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(busyPort, port);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(busyPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", port, "edgeseg/solo/#");
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == "edgeseg/solo/hazards"), Bounded, "hazard via embedded broker");
        Assert.Contains(sub.Messages, m => m.Topic == "edgeseg/solo/available" && m.Text == "online");
    }

    [Fact]
    public async Task Keeps_an_event_the_broker_refuses_and_retries_until_it_is_accepted()
    {
        var factory = new MqttServerFactory();
        var port = EmbeddedBroker.FreeLoopbackPort();
        using var server = factory.CreateMqttServer(factory.CreateServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        var refusals = 0;
        server.InterceptingPublishAsync += e =>
        {
            if (e.ApplicationMessage.Topic.EndsWith("/hazards", StringComparison.Ordinal) && Interlocked.Increment(ref refusals) <= 2)
            {
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        try
        {
            var logger = new CapturingLogger();
            using var loggerFactory = new LoggerFactory([logger]);
            using var queue = OpenQueue();
            await using var service = new MqttAlertService(Settings(port), queue, loggerFactory);
            await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", port, service.Topics.Hazards);
            await service.StartAsync(CancellationToken.None);
            await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
            await queue.EnqueueAsync(TestEvents.Make(1), CancellationToken.None);
            await sub.WaitUntilAsync(m => m.Count >= 2, Bounded, "both events after the refusals");
            Assert.Equal([1L, 2], sub.Messages.Select(m => HazardAssertions.CheckSchema(m.Payload)));
            Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("refused hazard event seq 1", StringComparison.Ordinal)));
            Assert.True(refusals >= 4);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Theory]
    [InlineData("a/b", "device_id")]
    [InlineData("a+", "device_id")]
    public void Settings_reject_device_ids_that_break_topics(string deviceId, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() => new MqttSettings { DeviceId = deviceId }.Validate());
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(deviceId, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_reject_tls_without_a_broker_and_a_missing_ca_file()
    {
        Assert.Contains("TLS", Assert.Throws<ArgumentException>(() => new MqttSettings { UseTls = true }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("/nope.pem", Assert.Throws<ArgumentException>(() => new MqttSettings { Host = "b", UseTls = true, CaFile = "/nope.pem" }.Validate()).Message, StringComparison.Ordinal);
    }
}
