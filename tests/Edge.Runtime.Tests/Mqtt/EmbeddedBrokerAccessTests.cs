using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>Issue #13 item 6: on the embedded broker only the runtime's own client publishes under edgeseg/&lt;id&gt;/.</summary>
public sealed class EmbeddedBrokerAccessTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);
    private readonly string _dir = TestPaths.NewTempDirectory();
    private FileAlertQueue _queue = null!;
    private MqttAlertService _service = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        _service = new MqttAlertService(new MqttSettings { DeviceId = "solo", EmbeddedBrokerPort = 0 }, _queue);
        await _service.StartAsync(CancellationToken.None);
        await _service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        _port = _service.EmbeddedBroker!.Port;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _queue.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<IMqttClient> ForeignAsync(string clientId, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId(clientId).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        configure?.Invoke(builder);
        var result = await client.ConnectAsync(builder.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static MqttApplicationMessage Message(string topic, string payload, bool retain) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    [Fact]
    public async Task A_foreign_client_cannot_publish_a_fake_hazard_a_retained_state_or_offline_but_can_subscribe()
    {
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _port, "edgeseg/solo/#");
        using var intruder = await ForeignAsync("intruder");
        var fake = Encoding.UTF8.GetString(HazardEventJson.Serialize(TestEvents.Make(0), 999_999));
        var hazard = await intruder.PublishAsync(Message(_service.Topics.Hazards, fake, retain: false));
        var state = await intruder.PublishAsync(Message(_service.Topics.State, "{\"schema\":1,\"count\":5,\"hazards\":[]}", retain: true));
        var offline = await intruder.PublishAsync(Message(_service.Topics.Available, "offline", retain: true));
        var root = await intruder.PublishAsync(Message("edgeseg/solo", "x", retain: true));
        Assert.All(new[] { hazard, state, offline, root }, r => Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, r.ReasonCode));

        // Its own topics and other devices' stay open; the real runtime still publishes.
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, (await intruder.PublishAsync(Message("edgeseg/solo-other/hazards", "x", retain: false))).ReasonCode);
        await _queue.EnqueueAsync(TestEvents.Make(1), CancellationToken.None);
        await sub.WaitUntilAsync(m => m.Any(x => x.Topic == _service.Topics.Hazards), Bounded, "the runtime's own hazard");
        await Task.Delay(300);
        Assert.DoesNotContain(sub.Messages, m => m.Text == "offline" || m.Text.Contains("999999", StringComparison.Ordinal) || m.Text.Contains("\"count\":5", StringComparison.Ordinal));
        Assert.Equal(1L, HazardAssertions.CheckSchema(Assert.Single(sub.On(_service.Topics.Hazards)).Payload));

        await using var late = await TestSubscriber.ConnectAsync("127.0.0.1", _port, "edgeseg/solo/#");
        await late.WaitUntilAsync(m => m.Count >= 2, Bounded, "retained available + state");
        Assert.Equal("online", Assert.Single(late.On(_service.Topics.Available)).Text);
        using var doc = JsonDocument.Parse(Assert.Single(late.On(_service.Topics.State)).Payload);
        Assert.Equal(0, doc.RootElement.GetProperty("count").GetInt32());
        Assert.True(_service.EmbeddedBroker!.Refusals >= 4);
    }

    [Fact]
    public async Task A_foreign_last_will_on_the_device_topics_is_dropped()
    {
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", _port, _service.Topics.Available);
        await sub.WaitUntilAsync(m => m.Count >= 1, Bounded, "retained online");
        await using var proxy = new TcpProxy(_port);
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", proxy.Port).WithClientId("will-spoofer")
            .WithWillTopic(_service.Topics.Available).WithWillPayload(Encoding.UTF8.GetBytes("offline")).WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        proxy.CutAll(); // no DISCONNECT: the broker would send the will
        await Task.Delay(1500);
        client.Dispose();
        Assert.All(sub.Messages, m => Assert.Equal("online", m.Text));
        await using var late = await TestSubscriber.ConnectAsync("127.0.0.1", _port, _service.Topics.Available);
        await late.WaitUntilAsync(m => m.Count >= 1, Bounded, "retained available");
        Assert.Equal("online", late.Messages[0].Text);
    }

    [Fact]
    public async Task A_client_posing_as_the_runtime_is_refused_and_does_not_take_over_its_session()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId("edgeseg-solo").WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        var anonymous = await client.ConnectAsync(options.Build());
        Assert.NotEqual(MqttClientConnectResultCode.Success, anonymous.ResultCode);
        using var guessing = new MqttClientFactory().CreateMqttClient();
        var guessed = await guessing.ConnectAsync(options.WithCredentials(EmbeddedBrokerAccess.RuntimeUserName, "guess").Build());
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, guessed.ResultCode);
        client.Dispose();
        await Task.Delay(300);
        Assert.True(_service.IsConnected);
        Assert.Equal(1, _service.Connections);
    }

    [Fact]
    public async Task Mosquitto_sub_over_mqtt5_without_a_client_id_receives_the_retained_availability()
    {
        var exe = new[] { "/usr/bin/mosquitto_sub", "/usr/local/bin/mosquitto_sub" }.FirstOrDefault(File.Exists);
        Assert.True(exe is not null, "mosquitto_sub is required (apt-get install -y mosquitto-clients)");
        // MQTT 5 lets the broker assign the id; MQTTnet refuses an empty id on 3.1.1, hence the recipe's "-V mqttv5" (docs/mqtt.md).
        foreach (var version in new[] { "mqttv5" })
        {
            using var p = Process.Start(new ProcessStartInfo(exe, ["-h", "127.0.0.1", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", version, "-t", "edgeseg/solo/available", "-C", "1", "-W", "10"])
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var output = await p.StandardOutput.ReadToEndAsync();
            var error = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync().WaitAsync(Bounded);
            Assert.True(p.ExitCode == 0, $"mosquitto_sub -V {version} exited {p.ExitCode}: {error}");
            Assert.Equal("online", output.Trim());
        }
    }
}
