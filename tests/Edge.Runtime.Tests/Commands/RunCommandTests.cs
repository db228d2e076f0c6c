using Edge.Runtime.Alerts;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Commands;

public sealed class RunCommandTests
{
    private static string RepoRoot => SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!;

    private static string EnetModel => Path.Combine(RepoRoot, "models", "enet-seed-560-void.onnx");

    [Fact]
    public async Task Missing_model_exits_with_missing_file_naming_it()
    {
        var (code, _, error) = await Run(new RunOptions(null, "synthetic://64x32", "/nowhere/model.onnx", null, null, 1));
        Assert.Equal(ExitCodes.MissingFile, code);
        Assert.Contains("/nowhere/model.onnx", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_exit_nonzero_naming_the_field()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        await File.WriteAllTextAsync(path, """{ "tracking": { "confirm_frames": 0 } }""");
        var (code, _, error) = await Run(new RunOptions(path, "synthetic://64x32", EnetModel, null, null, 1));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("tracking.confirm_frames: expected >= 1, got 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_source_exits_nonzero_naming_it()
    {
        RequireModel();
        var (code, _, error) = await Run(new RunOptions(null, "/no/such/clip.mp4", EnetModel, null, null, 1));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("/no/such/clip.mp4", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_road_anomaly_images_produce_hazard_events_end_to_end()
    {
        RequireModel();
        var images = Path.Combine(TestPaths.Shared, "data", "Validation_Dataset", "RoadAnomaly21", "images");
        var dir = TestPaths.NewTempDirectory();
        var queueDir = Path.Combine(dir, "queue");
        var config = Path.Combine(dir, "edgeseg.json");
        await File.WriteAllTextAsync(config, $$"""
            { "tracking": { "confirm_frames": 1 }, "model": { "providers": ["cpu"] }, "scoring": { "use_operating_point": false }, "stats_interval_seconds": 0,
              "queue": { "directory": "{{queueDir}}" }, "mqtt": { "embedded_port": 0 } }
            """);

        // Production wiring: durable queue, embedded broker, and the --echo-events subscriber printing what the broker delivers.
        var (code, output, error) = await Run(new RunOptions(config, images, EnetModel, null, "test-car", 3, EchoEvents: true));

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("processed 3", error, StringComparison.Ordinal);
        var echoed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => HazardEventJson.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Event).ToList();
        Assert.Contains(echoed, e => e.Type == HazardEventType.New);
        Assert.All(echoed.Where(e => e.Type == HazardEventType.New), e =>
        {
            Assert.StartsWith("test-car-", e.Id, StringComparison.Ordinal);
            Assert.Equal("enet-seed-560-void", e.Model);
            Assert.Equal("VoidClass", e.Method);
            Assert.True(e.ScoreMax >= 0.5f);
            Assert.True(e.Bbox.Width > 0 && e.Bbox.X + e.Bbox.Width <= 2048, $"bbox {e.Bbox} outside the source frame");
        });

        // Every event the pipeline stored was acknowledged by the broker.
        using var queue = FileAlertQueue.Open(new AlertQueueSettings { Directory = queueDir });
        Assert.Equal(0, queue.PendingCount);
    }

    private static void RequireModel()
    {
        Assert.True(File.Exists(EnetModel), $"Model '{EnetModel}' not found: run `make models` first.");
    }

    private static async Task<(int Code, string Output, string Error)> Run(RunOptions options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RunCommand(NullLoggerFactory.Instance, output, error);
        var code = await command.ExecuteAsync(options, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
