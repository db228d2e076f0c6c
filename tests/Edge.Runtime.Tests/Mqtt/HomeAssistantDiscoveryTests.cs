using System.Text.Json;
using System.Text.RegularExpressions;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using Edge.Runtime.Tracking;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>Home Assistant MQTT discovery: the config payloads, and their retained publication on every (re)connect.</summary>
public sealed partial class HomeAssistantDiscoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);
    private static readonly HomeAssistantSettings Device = new() { Enabled = true, DiscoveryPrefix = "ha", Model = "midenet-distilled", SoftwareVersion = "1.2.3" };
    private readonly string _dir = TestPaths.NewTempDirectory();
    private EmbeddedBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await EmbeddedBroker.StartAsync(0, null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Configs_have_discovery_topics_unique_ids_device_block_and_availability()
    {
        var topics = MqttTopics.For("edgeseg", "car-7");
        var configs = HomeAssistantDiscovery.Configs(topics, "car-7", Device);

        Assert.Equal(
            ["ha/binary_sensor/car-7/hazard/config", "ha/sensor/car-7/hazard_count/config", "ha/sensor/car-7/inference_fps/config", "ha/sensor/car-7/capture_fps/config", "ha/image/car-7/snapshot/config"],
            configs.Select(c => c.Topic));
        var uniqueIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            using var doc = JsonDocument.Parse(config.Payload);
            var root = doc.RootElement;
            Assert.True(uniqueIds.Add(root.GetProperty("unique_id").GetString()!), $"duplicate unique_id in {config.Topic}");
            Assert.Equal("edgeseg/car-7/available", root.GetProperty("availability_topic").GetString());
            Assert.Equal("online", root.GetProperty("payload_available").GetString());
            Assert.Equal("offline", root.GetProperty("payload_not_available").GetString());
            var device = root.GetProperty("device");
            Assert.Equal(["edgeseg_car-7"], device.GetProperty("identifiers").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("EdgeSeg car-7", device.GetProperty("name").GetString());
            Assert.Equal("midenet-distilled", device.GetProperty("model").GetString());
            Assert.Equal("1.2.3", device.GetProperty("sw_version").GetString());
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("name").GetString()));
        }

        using var hazard = JsonDocument.Parse(configs[0].Payload);
        Assert.Equal("safety", hazard.RootElement.GetProperty("device_class").GetString());
        Assert.Equal("edgeseg/car-7/state", hazard.RootElement.GetProperty("state_topic").GetString());
        Assert.Equal("ON", hazard.RootElement.GetProperty("payload_on").GetString());
        Assert.Equal("OFF", hazard.RootElement.GetProperty("payload_off").GetString());
        using var count = JsonDocument.Parse(configs[1].Payload);
        Assert.Equal("edgeseg/car-7/state", count.RootElement.GetProperty("state_topic").GetString());
        using var fps = JsonDocument.Parse(configs[2].Payload);
        Assert.Equal("edgeseg/car-7/stats", fps.RootElement.GetProperty("state_topic").GetString());
        Assert.Equal("fps", fps.RootElement.GetProperty("unit_of_measurement").GetString());
    }

    [Fact]
    public void Value_templates_read_numeric_fields_that_the_state_and_stats_payloads_really_have()
    {
        var now = DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var active = new List<ActiveHazard>
        {
            TestEvents.Active("a", new BoundingBox(1, 2, 3, 4), 0.1, 2, true, now),
            TestEvents.Active("b", new BoundingBox(5, 6, 7, 8), 0.2, 3, false, now),
        };
        using var state = JsonDocument.Parse(MqttPayloads.State(active, now, now));
        using var stats = JsonDocument.Parse(MqttPayloads.Stats(
            new RuntimeStats { CaptureFps = 12.5, InferenceFps = 7.25, FramesDropped = 3, Provider = "cpu", Model = "m" }, now, TimeSpan.FromSeconds(5), 0, 0));

        var stateField = Field(HomeAssistantDiscovery.HazardTemplate);
        Assert.Equal(stateField, Field(HomeAssistantDiscovery.HazardCountTemplate));
        Assert.Equal(active.Count, state.RootElement.GetProperty(stateField).GetInt32());
        Assert.Equal(state.RootElement.GetProperty("hazards").GetArrayLength(), state.RootElement.GetProperty(stateField).GetInt32());
        Assert.Equal(7.25, stats.RootElement.GetProperty(Field(HomeAssistantDiscovery.InferenceFpsTemplate)).GetDouble());
        Assert.Equal(12.5, stats.RootElement.GetProperty(Field(HomeAssistantDiscovery.CaptureFpsTemplate)).GetDouble());
        Assert.Contains("'ON' if", HomeAssistantDiscovery.HazardTemplate, StringComparison.Ordinal);
        Assert.Contains("> 0 else 'OFF'", HomeAssistantDiscovery.HazardTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriber_receives_retained_discovery_configs_after_connect_and_again_after_a_reconnect()
    {
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        await using var proxy = new TcpProxy(_broker.Port);
        var settings = new MqttSettings
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            DeviceId = "car-7",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
            OperationTimeout = TimeSpan.FromSeconds(3),
            HomeAssistant = Device,
        };
        await using var service = new MqttAlertService(settings, queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        var expected = HomeAssistantDiscovery.Configs(service.Topics, "car-7", Device);

        await using var late = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, "ha/#");
        await late.WaitUntilAsync(m => m.Count >= expected.Count, Bounded, "retained discovery configs");
        foreach (var config in expected)
        {
            var got = Assert.Single(late.On(config.Topic));
            Assert.True(got.Retain, $"{config.Topic} retained");
            Assert.Equal(config.Payload, got.Payload);
        }

        proxy.CutAll();
        await late.WaitUntilAsync(_ => !service.IsConnected, Bounded, "disconnect seen by the service");
        proxy.Resume();
        await late.WaitUntilAsync(m => m.Count >= 2 * expected.Count, Bounded, "discovery configs republished after reconnect");
        Assert.All(expected, c => Assert.Equal(2, late.On(c.Topic).Count));
    }

    [Fact]
    public void Settings_section_enables_discovery_and_rejects_a_bad_prefix()
    {
        var env = new Dictionary<string, string?> { ["EDGESEG__MQTT__HOME_ASSISTANT__ENABLED"] = "true" };
        var settings = RuntimeSettings.Load(null, env);
        Assert.True(settings.Mqtt.HomeAssistant.Enabled);
        Assert.Equal("homeassistant", settings.Mqtt.HomeAssistant.DiscoveryPrefix);
        var mqtt = settings.MqttService("enet");
        Assert.True(mqtt.HomeAssistant.Enabled);
        Assert.Equal("homeassistant", mqtt.HomeAssistant.DiscoveryPrefix);
        Assert.Equal("enet", mqtt.HomeAssistant.Model);
        Assert.False(RuntimeSettings.Load(null, new Dictionary<string, string?>()).MqttService().HomeAssistant.Enabled);

        var bad = settings with { Mqtt = settings.Mqtt with { HomeAssistant = new HomeAssistantSettings { Enabled = true, DiscoveryPrefix = "ha/#" } } };
        var error = Assert.Single(bad.Validate(), e => e.StartsWith("mqtt.home_assistant", StringComparison.Ordinal));
        Assert.Contains("mqtt.home_assistant.discovery_prefix", error, StringComparison.Ordinal);
        Assert.Contains("'ha/#'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_image_and_gps_device_tracker_join_the_same_device()
    {
        var topics = MqttTopics.For("edgeseg", "car-7");
        var configs = HomeAssistantDiscovery.Configs(topics, "car-7", Device with { Gps = true });

        Assert.Equal(6, configs.Count);
        var devices = configs.Select(c =>
        {
            using var doc = JsonDocument.Parse(c.Payload);
            return doc.RootElement.GetProperty("device").GetRawText();
        }).Distinct().ToList();
        Assert.Single(devices);

        var image = Assert.Single(configs, c => c.Topic == "ha/image/car-7/snapshot/config");
        using (var doc = JsonDocument.Parse(image.Payload))
        {
            var root = doc.RootElement;
            Assert.Equal("edgeseg/car-7/snapshot", root.GetProperty("image_topic").GetString());
            Assert.Equal(topics.Snapshot, root.GetProperty("image_topic").GetString());
            Assert.Equal("image/jpeg", root.GetProperty("content_type").GetString());
            Assert.False(root.TryGetProperty("image_encoding", out _)); // raw JPEG bytes, not base64
            Assert.False(root.TryGetProperty("state_topic", out _));
            Assert.Equal("edgeseg_car-7_snapshot", root.GetProperty("unique_id").GetString());
        }

        var tracker = Assert.Single(configs, c => c.Topic == "ha/device_tracker/car-7/position/config");
        using (var doc = JsonDocument.Parse(tracker.Payload))
        {
            var root = doc.RootElement;
            Assert.Equal("edgeseg/car-7/gps", root.GetProperty("json_attributes_topic").GetString());
            Assert.Equal("gps", root.GetProperty("source_type").GetString());
            Assert.False(root.TryGetProperty("state_topic", out _)); // the position comes from the attributes
            Assert.Equal("edgeseg/car-7/available", root.GetProperty("availability_topic").GetString());
        }

        Assert.DoesNotContain(HomeAssistantDiscovery.Configs(topics, "car-7", Device), c => c.Topic.Contains("device_tracker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gps_fixes_reach_the_retained_tracker_attributes_and_the_snapshot_the_image_topic()
    {
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        var settings = new MqttSettings { Host = "127.0.0.1", Port = _broker.Port, DeviceId = "car-7", HomeAssistant = Device with { Gps = true } };
        await using var service = new MqttAlertService(settings, queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, "#");
        var configs = HomeAssistantDiscovery.Configs(service.Topics, "car-7", settings.HomeAssistant);
        await sub.WaitUntilAsync(m => configs.All(c => m.Any(x => x.Topic == c.Topic)), Bounded, "retained discovery configs");
        using var doc = JsonDocument.Parse(sub.On("ha/device_tracker/car-7/position/config")[0].Payload);
        var attributesTopic = doc.RootElement.GetProperty("json_attributes_topic").GetString()!;
        using var imageDoc = JsonDocument.Parse(sub.On("ha/image/car-7/snapshot/config")[0].Payload);
        var imageTopic = imageDoc.RootElement.GetProperty("image_topic").GetString()!;

        // A GGA fix read by the NMEA reader, carried by the feed: 48 deg 07.038' N, 11 deg 31.000' E.
        var reader = new Edge.Runtime.Vehicle.NmeaGpsReader(new Edge.Runtime.Vehicle.GpsSettings { TcpHost = "127.0.0.1" });
        using var stop = new CancellationTokenSource();
        var feed = GpsPositionFeed.RunAsync(() => reader.Latest, service.OfferPosition, TimeSpan.FromMilliseconds(20), stop.Token);
        reader.ProcessLine("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47");
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == attributesTopic), Bounded, "the first position");
        var first = Assert.Single(sub.On(attributesTopic));
        using (var position = JsonDocument.Parse(first.Payload))
        {
            Assert.Equal(48 + (7.038 / 60), position.RootElement.GetProperty("latitude").GetDouble(), 9);
            Assert.Equal(11 + (31.0 / 60), position.RootElement.GetProperty("longitude").GetDouble(), 9);
            Assert.Equal(0.9 * Edge.Runtime.Vehicle.NmeaGpsReader.UereMeters, position.RootElement.GetProperty("gps_accuracy").GetDouble(), 6); // GGA HDOP 0.9
        }

        await Task.Delay(200); // the same fix is not offered again
        Assert.Single(sub.On(attributesTopic));
        await stop.CancelAsync();
        await feed.WaitAsync(Bounded);

        // A fix with an accuracy radius: southern / western hemisphere, metres as given.
        service.OfferPosition(new GeoFix(-33.8688, -70.6693, 42.5, DateTimeOffset.UtcNow) { AccuracyMeters = 7.5 });
        await sub.WaitUntilAsync(m => m.Count(x => x.Topic == attributesTopic) >= 2, Bounded, "the second position");
        using (var position = JsonDocument.Parse(sub.On(attributesTopic)[1].Payload))
        {
            Assert.Equal(-33.8688, position.RootElement.GetProperty("latitude").GetDouble());
            Assert.Equal(-70.6693, position.RootElement.GetProperty("longitude").GetDouble());
            Assert.Equal(7.5, position.RootElement.GetProperty("gps_accuracy").GetDouble());
            Assert.Equal(42.5, position.RootElement.GetProperty("speed_kmh").GetDouble());
        }

        // The image entity shows what the runtime publishes on its snapshot topic: the JPEG bytes themselves.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9];
        service.OfferSnapshot(jpeg);
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == imageTopic), Bounded, "the snapshot");
        Assert.Equal(jpeg, sub.On(imageTopic)[0].Payload);

        // A late subscriber (Home Assistant starting) gets the last position at once.
        await using var late = await TestSubscriber.ConnectAsync("127.0.0.1", _broker.Port, attributesTopic);
        await late.WaitUntilAsync(m => m.Count >= 1, Bounded, "the retained position");
        Assert.True(late.Messages[0].Retain);
        Assert.Equal(sub.On(attributesTopic)[1].Payload, late.Messages[0].Payload);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Gps_section_enables_the_device_tracker()
    {
        var env = new Dictionary<string, string?> { ["EDGESEG__MQTT__HOME_ASSISTANT__ENABLED"] = "true", ["EDGESEG__GPS__ENABLED"] = "true" };
        Assert.True(RuntimeSettings.Load(null, env).MqttService("enet").HomeAssistant.Gps);
        env.Remove("EDGESEG__GPS__ENABLED");
        Assert.False(RuntimeSettings.Load(null, env).MqttService("enet").HomeAssistant.Gps);
    }

    private static string Field(string template)
    {
        var match = ValueJsonField().Match(template);
        Assert.True(match.Success, $"template without value_json.<field>: {template}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"value_json\.([a-z_]+)")]
    private static partial Regex ValueJsonField();
}
