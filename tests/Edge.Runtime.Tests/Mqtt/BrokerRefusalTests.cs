using System.Diagnostics;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Mqtt;

/// <summary>Issue #13 item 5: a broker that refuses the connection (bad password) is reported with its reason, by the service and by <c>edgeseg check</c>.</summary>
public sealed class BrokerRefusalTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private readonly string _dir = TestPaths.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PasswordFile => Path.Combine(_dir, "passwd");

    private static string RepoRoot => SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!;

    private void AddUser(string user, string password)
    {
        var args = File.Exists(PasswordFile) ? new[] { "-b", PasswordFile, user, password } : ["-c", "-b", PasswordFile, user, password];
        using var p = Process.Start(new ProcessStartInfo("mosquitto_passwd", args) { UseShellExecute = false, RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(10_000) && p.ExitCode == 0, $"mosquitto_passwd failed: {err}");
    }

    private Task<MosquittoProcess> StartBrokerAsync() =>
        MosquittoProcess.StartAsync(Path.Combine(_dir, "broker"), $"allow_anonymous false\npassword_file {PasswordFile}");

    [Fact]
    public async Task A_wrong_password_is_logged_as_a_refusal_with_its_reason_retried_with_backoff_and_heals_when_the_broker_accepts()
    {
        AddUser("edgeseg", "right");
        using var broker = await StartBrokerAsync();
        var logger = new CapturingLogger();
        using var factory = new LoggerFactory([logger]);
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = Path.Combine(_dir, "q") });
        var settings = new MqttSettings
        {
            Host = "127.0.0.1", Port = broker.Port, DeviceId = "car-pw", Username = "edgeseg", Password = "wrong",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(1), OperationTimeout = TimeSpan.FromSeconds(5),
        };
        await using var service = new MqttAlertService(settings, queue, factory);
        await service.StartAsync(CancellationToken.None);
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await Task.Delay(3000);
        var attempts = service.ConnectAttempts;
        var elapsed = watch.Elapsed;

        var failure = service.LastConnectFailure;
        Assert.NotNull(failure);
        Assert.True(failure.Permanent, failure.ToString());
        Assert.Contains(failure.Kind == MqttConnectFailureKind.BadCredentials ? "BadUserNameOrPassword" : "NotAuthorized", failure.Reason, StringComparison.Ordinal);
        var errors = logger.Entries.Where(e => e.Level == LogLevel.Error && e.Message.Contains("refused the connection", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("mqtt.username / mqtt.password", e.Message + " " + failure.Hint, StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("The MQTT client is not connected", StringComparison.Ordinal));

        // Not healable by retrying soon: the longest backoff (0.5..1 s here) from the first refusal on, still retrying.
        Assert.InRange(attempts, 2, 1 + (int)Math.Ceiling(elapsed.TotalSeconds / 0.5));
        Assert.Equal(1, queue.PendingCount);

        // The operator fixes the broker side (the password the vehicle has): the next retry connects and delivers.
        AddUser("edgeseg", "wrong");
        broker.Reload();
        await service.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Bounded);
        var deadline = DateTime.UtcNow + Bounded;
        while (queue.PendingCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "queued event not delivered after the broker accepted the credentials");
            await Task.Delay(20);
        }

        Assert.Null(service.LastConnectFailure);
    }

    [Fact]
    public async Task Check_connects_once_and_reports_the_refusal_reason_with_a_nonzero_exit()
    {
        var model = Path.Combine(RepoRoot, "models", "enet-seed-560-void.onnx");
        Assert.True(File.Exists(model), $"{model} is missing: run `make models` before the tests.");
        AddUser("edgeseg", "right");
        using var broker = await StartBrokerAsync();

        async Task<(int Code, string Output)> CheckAsync(string password)
        {
            var config = Path.Combine(_dir, $"edgeseg-{password}.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                source = new { uri = "synthetic://64x32" },
                model = new { path = model, providers = new[] { "cpu" } },
                mqtt = new { host = "127.0.0.1", port = broker.Port, username = "edgeseg", password },
                queue = new { directory = Path.Combine(_dir, "q") },
            }));
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await new CheckCommand(NullLoggerFactory.Instance, output, error).ExecuteAsync(new RunOptions(config, null, null, null, null, null), CancellationToken.None);
            return (code, output + error.ToString());
        }

        var (badCode, bad) = await CheckAsync("wrong");
        Assert.Equal(ExitCodes.Failure, badCode);
        var line = Assert.Single(bad.Split('\n'), l => l.StartsWith("broker:", StringComparison.Ordinal));
        Assert.Contains("FAILED", line, StringComparison.Ordinal);
        Assert.Contains("refused the connection", line, StringComparison.Ordinal);
        Assert.Matches("NotAuthorized|BadUserNameOrPassword", line);
        Assert.DoesNotContain(bad.Split('\n'), l => l.Contains("FAILED", StringComparison.Ordinal) && !l.StartsWith("broker:", StringComparison.Ordinal));

        var (goodCode, good) = await CheckAsync("right");
        Assert.True(goodCode == ExitCodes.Success, good);
        Assert.Contains($"broker: 127.0.0.1:{broker.Port}: connected", good, StringComparison.Ordinal);

        // Nothing listening: unreachable, named as such.
        await File.WriteAllTextAsync(Path.Combine(_dir, "dead.json"), JsonSerializer.Serialize(new
        {
            source = new { uri = "synthetic://64x32" },
            model = new { path = model, providers = new[] { "cpu" } },
            mqtt = new { host = "127.0.0.1", port = EmbeddedBroker.FreeLoopbackPort() },
        }));
        using var o = new StringWriter();
        Assert.Equal(ExitCodes.Failure, await new CheckCommand(NullLoggerFactory.Instance, o, o).ExecuteAsync(new RunOptions(Path.Combine(_dir, "dead.json"), null, null, null, null, null), CancellationToken.None));
        Assert.Contains("FAILED", o.ToString(), StringComparison.Ordinal);
        Assert.Contains("Unreachable", o.ToString(), StringComparison.Ordinal);
    }
}
