using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Alerts;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Commands;

/// <summary>
/// What an operator meets at start: a second instance on the same queue, a queue directory the user cannot write, a
/// model whose card lists another class count, <c>edgeseg check</c> on the queue, and the shutdown timeout setting.
/// </summary>
public sealed class StartupFaultTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);
    private readonly string _dir = TestPaths.NewTempDirectory();
    private readonly ITestOutputHelper _output;

    public StartupFaultTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config(string queueDir, string? model = null, object? extra = null)
    {
        var root = JsonSerializer.SerializeToNode(new
        {
            device_id = "faults",
            source = new { uri = "synthetic://64x32" },
            model = new { path = model ?? Hosting.ShutdownTests.Model(), providers = new[] { "cpu" }, threads = 1 },
            mqtt = new { embedded_port = 0 },
            queue = new { directory = queueDir },
            stats_interval_seconds = 0,
        })!.AsObject();
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                root[key] = value?.DeepClone();
            }
        }

        var path = Path.Combine(_dir, $"edgeseg-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private static void AssertNoStackTrace(string stderr)
    {
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_instance_on_the_same_queue_exits_3_naming_the_directory_and_the_holder_and_check_reports_it()
    {
        var queueDir = Path.Combine(_dir, "queue");
        var config = Config(queueDir);
        using var first = EdgesegProcess.Start(["run", "--config", config]);
        var owner = Path.Combine(queueDir, FileAlertQueue.LockOwnerFileName);
        var wait = Stopwatch.StartNew();
        while (!File.Exists(owner))
        {
            Assert.False(first.HasExited, $"first instance exited:\n{first.StandardError}");
            Assert.True(wait.Elapsed < Bounded, "first instance never opened its queue");
            await Task.Delay(100);
        }

        using (var second = EdgesegProcess.Start(["run", "--config", config]))
        {
            var code = await second.WaitForExitAsync(Bounded);
            _output.WriteLine(second.StandardError);
            Assert.Equal(ExitCodes.QueueLocked, code);
            Assert.Contains($"'{queueDir}'", second.StandardError, StringComparison.Ordinal);
            Assert.Contains("queue.directory", second.StandardError, StringComparison.Ordinal);
            Assert.Contains($"pid {first.Id} ", second.StandardError, StringComparison.Ordinal);
            AssertNoStackTrace(second.StandardError);
        }

        using var output = new StringWriter();
        var check = await new CheckCommand(NullLoggerFactory.Instance, output, new StringWriter()).ExecuteAsync(new RunOptions(config, null, null, null, null, null), CancellationToken.None);
        _output.WriteLine(output.ToString());
        Assert.Equal(ExitCodes.Failure, check);
        var queueLine = output.ToString().Split('\n').Single(l => l.StartsWith("queue:", StringComparison.Ordinal));
        Assert.Contains("FAILED", queueLine, StringComparison.Ordinal);
        Assert.Contains($"pid {first.Id} ", queueLine, StringComparison.Ordinal);

        first.Signal("TERM");
        Assert.Equal(ExitCodes.Success, await first.WaitForExitAsync(Bounded));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Unwritable_queue_directory_exits_4_naming_the_setting_and_what_to_do()
    {
        var queueDir = Path.Combine(_dir, "system-owned");
        Directory.CreateDirectory(queueDir);
        var config = Config(queueDir);
        string stderr;
        int code;
        if (Environment.UserName == "root")
        {
            // As a normal user (nobody) against a root-owned 755 folder, the way a first run meets /var/lib/edgeseg.
            using var run = EdgesegProcess.Start(["run", "--config", config, "--max-frames", "1"], asUser: 65534);
            code = await run.WaitForExitAsync(Bounded);
            stderr = run.StandardError;
        }
        else
        {
            File.SetUnixFileMode(queueDir, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            using var error = new StringWriter();
            code = await new RunCommand(NullLoggerFactory.Instance, new StringWriter(), error).ExecuteAsync(new RunOptions(config, null, null, null, null, 1), CancellationToken.None);
            stderr = error.ToString();
        }

        _output.WriteLine(stderr);
        Assert.Equal(ExitCodes.QueueNotWritable, code);
        Assert.Contains($"'{queueDir}'", stderr, StringComparison.Ordinal);
        Assert.Contains("queue.directory", stderr, StringComparison.Ordinal);
        Assert.Contains("EDGESEG__QUEUE__DIRECTORY", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(FileAlertQueue.LockFileName, stderr, StringComparison.Ordinal);
        AssertNoStackTrace(stderr);
    }

    [Fact]
    public async Task Model_whose_card_lists_another_class_count_fails_at_start_naming_card_field_and_counts()
    {
        var model = Path.Combine(_dir, "mismatch.onnx");
        File.Copy(Hosting.ShutdownTests.Model(), model);
        var card = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(Hosting.ShutdownTests.Model(), ".json")))!.AsObject();
        var classes = card["classes"]!.AsArray();
        var outputs = classes.Count;
        classes.Add("extra");
        var cardPath = Path.ChangeExtension(model, ".json");
        File.WriteAllText(cardPath, card.ToJsonString());

        using var error = new StringWriter();
        var code = await new RunCommand(NullLoggerFactory.Instance, new StringWriter(), error)
            .ExecuteAsync(new RunOptions(null, "synthetic://64x32", model, null, null, 1), CancellationToken.None);
        _output.WriteLine(error.ToString());
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains(cardPath, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("field classes", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"lists {outputs + 1} classes", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"outputs {outputs} channels", error.ToString(), StringComparison.Ordinal);

        using var output = new StringWriter();
        var check = await new CheckCommand(NullLoggerFactory.Instance, output, new StringWriter())
            .ExecuteAsync(new RunOptions(Config(Path.Combine(_dir, "q"), model), null, null, null, null, null), CancellationToken.None);
        Assert.Equal(ExitCodes.Failure, check);
        Assert.Contains($"model: FAILED: Model card '{cardPath}'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_requested_during_start_up_exits_0_with_a_message_not_a_silent_1()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        using var error = new StringWriter();
        var code = await new RunCommand(NullLoggerFactory.Instance, new StringWriter(), error)
            .ExecuteAsync(new RunOptions(Config(Path.Combine(_dir, "stopped")), null, null, null, null, 1), stop.Token);
        _output.WriteLine(error.ToString());
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("stop requested", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_reports_a_writable_unlocked_queue_directory()
    {
        var queueDir = Path.Combine(_dir, "fresh", "queue");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new CheckCommand(NullLoggerFactory.Instance, output, error).ExecuteAsync(new RunOptions(Config(queueDir), null, null, null, null, null), CancellationToken.None);
        _output.WriteLine(output.ToString() + error);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"queue: {queueDir}: created, writable, not locked", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(queueDir, FileAlertQueue.LockOwnerFileName)));
    }

    [Fact]
    public void Shutdown_timeout_comes_from_the_settings_file_and_is_validated()
    {
        var root = new RootCommand { new RunCommand(NullLoggerFactory.Instance, TextWriter.Null, TextWriter.Null).Create() };
        var config = Config(Path.Combine(_dir, "q"), extra: new { shutdown_timeout_s = 12.5 });
        Assert.Equal(TimeSpan.FromSeconds(12.5), Program.ShutdownTimeout(root.Parse(["run", "--config", config])));
        Assert.Equal(TimeSpan.FromSeconds(RuntimeSettings.DefaultShutdownTimeoutSeconds), Program.ShutdownTimeout(root.Parse(["run"])));
        Assert.True(RuntimeSettings.DefaultShutdownTimeoutSeconds < 30, "must stay below TimeoutStopSec=30 in deploy/jetson/edgeseg.service");
        var unit = File.ReadAllText(Path.Combine(SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!, "deploy", "jetson", "edgeseg.service"));
        Assert.Contains("TimeoutStopSec=30", unit, StringComparison.Ordinal);

        var errors = (new RuntimeSettings { ShutdownTimeoutSeconds = 0 }).Validate();
        Assert.Contains(errors, e => e.StartsWith("shutdown_timeout_s: expected 1..3600", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(RuntimeSettings.DefaultShutdownTimeoutSeconds),
            Program.ShutdownTimeout(root.Parse(["run", "--config", Config(Path.Combine(_dir, "q"), extra: new { shutdown_timeout_s = -1 })])));
    }
}
