using Edge.Runtime.Alerts;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
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
        var config = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        await File.WriteAllTextAsync(config, """{ "tracking": { "confirm_frames": 1 }, "model": { "providers": ["cpu"] }, "scoring": { "use_operating_point": false }, "stats_interval_seconds": 0 }""");
        var queue = new InMemoryAlertQueue();

        var (code, output, error) = await Run(new RunOptions(config, images, EnetModel, null, "test-car", 3), queue);

        Assert.True(code == ExitCodes.Success, error);
        var events = queue.Events.ToList();
        Assert.Contains(events, e => e.Type == HazardEventType.New);
        Assert.All(events.Where(e => e.Type == HazardEventType.New), e =>
        {
            Assert.StartsWith("test-car-", e.Id, StringComparison.Ordinal);
            Assert.Equal("enet-seed-560-void", e.Model);
            Assert.Equal("VoidClass", e.Method);
            Assert.True(e.ScoreMax >= 0.5f);
            Assert.True(e.Bbox.Width > 0 && e.Bbox.X + e.Bbox.Width <= 2048, $"bbox {e.Bbox} outside the source frame");
        });
        Assert.Equal(events.Count(e => e.Type == HazardEventType.New), events.Count(e => e.Type == HazardEventType.End));
        Assert.Contains("\"type\":\"new\"", output, StringComparison.Ordinal);
        Assert.Contains("processed 3", error, StringComparison.Ordinal);
    }

    private static void RequireModel()
    {
        Assert.True(File.Exists(EnetModel), $"Model '{EnetModel}' not found: run `make models` first.");
    }

    private static async Task<(int Code, string Output, string Error)> Run(RunOptions options, InMemoryAlertQueue? queue = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RunCommand(NullLoggerFactory.Instance, output, error);
        var code = await command.ExecuteAsync(options, CancellationToken.None, queue);
        return (code, output.ToString(), error.ToString());
    }
}
