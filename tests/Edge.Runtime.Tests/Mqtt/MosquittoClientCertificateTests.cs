using System.Diagnostics;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>
/// Issue #13 item 4: TLS with a private CA and client certificates configured in the settings file
/// (<c>mqtt.ca_file</c>, <c>mqtt.cert_file</c>, <c>mqtt.key_file</c>), against a real mosquitto with
/// <c>require_certificate true</c>; every file made by the openssl command line as an operator would.
/// </summary>
public sealed class MosquittoClientCertificateTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private readonly string _dir = TestPaths.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private void OpenSsl(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("openssl", args) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _dir })!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(30_000) && p.ExitCode == 0, $"openssl {string.Join(' ', args)} failed: {err}");
    }

    /// <summary>CA, server (SAN 127.0.0.1) and client certificates, as in docs/deployment.md; returns mosquitto's TLS listener lines plus a plain listener.</summary>
    private string MakeCertificates(int plainPort)
    {
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=EdgeSeg Test CA", "-keyout", "ca.key", "-out", "ca.crt");
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Other CA", "-keyout", "other.key", "-out", "other.crt");
        File.WriteAllText(P("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr");
        OpenSsl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", "server.crt", "-extfile", "server.ext");
        File.WriteAllText(P("client.ext"), "extendedKeyUsage=clientAuth\n");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=edgeseg-car-tls", "-keyout", "client.key", "-out", "client.csr");
        OpenSsl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", "client.crt", "-extfile", "client.ext");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=intruder", "-keyout", "intruder.key", "-out", "intruder.csr");
        OpenSsl("x509", "-req", "-in", "intruder.csr", "-CA", "other.crt", "-CAkey", "other.key", "-CAcreateserial", "-days", "2", "-out", "intruder.crt");
        return $"cafile {P("ca.crt")}\ncertfile {P("server.crt")}\nkeyfile {P("server.key")}\nrequire_certificate true\nlistener {plainPort} 127.0.0.1";
    }

    private string WriteConfig(int port, object mqtt)
    {
        var path = P($"edgeseg-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { device_id = "car-tls", source = new { uri = "x.mp4" }, model = new { path = "m.onnx" }, mqtt, queue = new { directory = P("q") } }));
        return path;
    }

    private static async Task WaitForListenerAsync(int port)
    {
        var deadline = DateTime.UtcNow + Bounded;
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public async Task Publishes_over_tls_with_a_private_ca_and_a_client_certificate_from_the_settings_file()
    {
        var plainPort = EmbeddedBroker.FreeLoopbackPort();
        using var broker = await MosquittoProcess.StartAsync(P("broker"), MakeCertificates(plainPort));
        var settings = RuntimeSettings.Load(WriteConfig(broker.Port, new
        {
            host = "127.0.0.1", port = broker.Port, tls = true, ca_file = P("ca.crt"), cert_file = P("client.crt"), key_file = P("client.key"),
            topic_prefix = "fleet", operation_timeout_seconds = 5, reconnect_min_delay_seconds = 0.1, reconnect_max_delay_seconds = 0.5,
        }));
        Assert.Empty(settings.Validate());
        var mqtt = settings.MqttService();
        Assert.Equal((P("ca.crt"), P("client.crt"), P("client.key"), "fleet"), (mqtt.CaFile, mqtt.CertFile, mqtt.KeyFile, mqtt.TopicPrefix));
        Assert.Equal(TimeSpan.FromSeconds(5), mqtt.OperationTimeout);

        await WaitForListenerAsync(plainPort); // mosquitto opens its second (plain) listener after the first
        await using var sub = await TestSubscriber.ConnectAsync("127.0.0.1", plainPort, "fleet/car-tls/hazards");
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = P("q") });
        await using var service = new MqttAlertService(mqtt, queue);
        await service.StartAsync(CancellationToken.None);
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
        await sub.WaitUntilAsync(m => m.Count >= 1, Bounded, "the event over TLS with a client certificate");
        Assert.Equal(1L, HazardAssertions.CheckSchema(sub.Messages[0].Payload));
    }

    [Fact]
    public async Task Without_a_client_certificate_the_tls_refusal_is_logged_with_its_reason_and_the_event_stays_queued()
    {
        using var broker = await MosquittoProcess.StartAsync(P("broker"), MakeCertificates(EmbeddedBroker.FreeLoopbackPort()));
        var logger = new CapturingLogger();
        using var factory = new LoggerFactory([logger]);
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = P("q") });
        var settings = new MqttSettings
        {
            Host = "127.0.0.1", Port = broker.Port, UseTls = true, CaFile = P("ca.crt"), DeviceId = "car-tls",
            CertFile = P("intruder.crt"), KeyFile = P("intruder.key"), // signed by a CA the broker does not trust
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(400), OperationTimeout = TimeSpan.FromSeconds(5),
        };
        await using var service = new MqttAlertService(settings, queue, factory);
        await service.StartAsync(CancellationToken.None);
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
        var deadline = DateTime.UtcNow + Bounded;
        while (service.ConnectAttempts < 2 || service.LastConnectFailure is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "expected failed TLS connection attempts");
            await Task.Delay(20);
        }

        Assert.False(service.IsConnected);
        Assert.Equal(1, queue.PendingCount);
        var failure = service.LastConnectFailure!;
        Assert.True(failure.Kind == MqttConnectFailureKind.Tls, failure.ToString());
        Assert.Contains(logger.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("MQTT connect to", StringComparison.Ordinal) && e.Message.Contains(failure.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Untrusted_broker_certificate_is_reported_as_a_tls_failure()
    {
        using var broker = await MosquittoProcess.StartAsync(P("broker"), MakeCertificates(EmbeddedBroker.FreeLoopbackPort()));
        var settings = new MqttSettings
        {
            Host = "127.0.0.1", Port = broker.Port, UseTls = true, CaFile = P("other.crt"), CertFile = P("client.crt"), KeyFile = P("client.key"),
            DeviceId = "car-tls", OperationTimeout = TimeSpan.FromSeconds(5),
        };
        var failure = await MqttBrokerProbe.ConnectOnceAsync(settings, CancellationToken.None);
        Assert.NotNull(failure);
        Assert.Equal(MqttConnectFailureKind.Tls, failure.Kind);
        Assert.Contains("TLS", failure.Reason, StringComparison.Ordinal);
        Assert.Null(await MqttBrokerProbe.ConnectOnceAsync(settings with { CaFile = P("ca.crt") }, CancellationToken.None));
    }

    [Fact]
    public void Settings_name_the_field_of_a_missing_unparsable_or_mismatched_tls_file()
    {
        MakeCertificates(EmbeddedBroker.FreeLoopbackPort());
        File.WriteAllText(P("garbage.pem"), "not a certificate\n");
        MqttSettings Tls(string? ca = null, string? cert = null, string? key = null) => new() { Host = "127.0.0.1", UseTls = true, CaFile = ca, CertFile = cert, KeyFile = key };

        Assert.Contains("mqtt.ca_file", Assert.Throws<ArgumentException>(() => Tls(ca: P("nope.crt")).ValidateFiles()).Message, StringComparison.Ordinal);
        var garbage = Assert.Throws<ArgumentException>(() => Tls(ca: P("garbage.pem")).ValidateFiles()).Message;
        Assert.Contains("mqtt.ca_file", garbage, StringComparison.Ordinal);
        Assert.Contains("garbage.pem", garbage, StringComparison.Ordinal);
        Assert.Contains("mqtt.key_file", Assert.Throws<ArgumentException>(() => Tls(cert: P("client.crt"), key: P("garbage.pem")).ValidateFiles()).Message, StringComparison.Ordinal);
        Assert.Contains("mqtt.key_file", Assert.Throws<ArgumentException>(() => Tls(cert: P("client.crt"), key: P("intruder.key")).ValidateFiles()).Message, StringComparison.Ordinal);
        Assert.Contains("mqtt.cert_file", Assert.Throws<ArgumentException>(() => Tls(cert: P("client.key"), key: P("client.key")).ValidateFiles()).Message, StringComparison.Ordinal);
        Tls(ca: P("ca.crt"), cert: P("client.crt"), key: P("client.key")).ValidateFiles();

        // Shape rules go through RuntimeSettings.Validate with the other settings errors.
        var errors = new RuntimeSettings { Mqtt = new MqttSettings { Host = "b", CaFile = P("ca.crt"), CertFile = P("client.crt") } }.Validate();
        Assert.Contains(errors, e => e.StartsWith("mqtt.tls: expected true", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("mqtt.key_file: expected", StringComparison.Ordinal));

        // The service validates the files at start-up too.
        var ex = Assert.Throws<ArgumentException>(() => new MqttSettings { Host = "b", UseTls = true, CaFile = P("garbage.pem") }.Validate());
        Assert.Contains("mqtt.ca_file", ex.Message, StringComparison.Ordinal);
    }
}
