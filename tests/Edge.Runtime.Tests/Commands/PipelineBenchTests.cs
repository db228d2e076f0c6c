using System.CommandLine;
using System.Text.Json;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Commands;

/// <summary><c>edgeseg bench --pipeline</c>: the whole runtime over 3 RoadAnomaly21 images (looped) through the embedded broker.</summary>
public sealed class PipelineBenchTests(ITestOutputHelper testOutput)
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private static string Model => Path.Combine(SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!, "models", "midenet-distilled.onnx");

    [Fact]
    public async Task Pipeline_bench_reports_whole_runtime_numbers_beside_the_bare_bench()
    {
        Assert.True(File.Exists(Model), $"Model '{Model}' not found: run `make models` first.");
        var dir = TestPaths.NewTempDirectory();
        var images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        foreach (var name in new[] { "0.png", "1.png", "2.png" })
        {
            File.Copy(TestPaths.SharedFile($"data/Validation_Dataset/RoadAnomaly21/images/{name}"), Path.Combine(images, name));
        }

        var config = Path.Combine(dir, "edgeseg.json");
        await File.WriteAllTextAsync(config, """{ "device_id": "bench-car", "tracking": { "confirm_frames": 1 }, "stats_interval_seconds": 0 }""");
        var queue = Path.Combine(dir, "queue");
        var json = Path.Combine(dir, "pipeline.json");
        var markdown = Path.Combine(dir, "pipeline.md");

        var code = await InvokeAsync("bench", "--model", Model, "--iterations", "2", "--warmup", "0", "--threads", "1", "--pipeline", "--source", images,
            "--max-frames", "5", "--config", config, "--queue-dir", queue, "--json", json, "--markdown", markdown);

        Assert.True(code == 0, _error.ToString());
        testOutput.WriteLine(File.ReadAllText(markdown));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(5, root.GetProperty("frames").GetInt64());
        Assert.Equal(5, root.GetProperty("frames_captured").GetInt64()); // 3 images looped
        Assert.Equal(5, root.GetProperty("frames_processed").GetInt64());
        Assert.Equal(0, root.GetProperty("frames_dropped").GetInt64()); // an unpaced folder waits for inference
        var wall = root.GetProperty("wall_seconds").GetDouble();
        Assert.Equal(5 / wall, root.GetProperty("end_to_end_fps").GetDouble(), 6);
        var bare = root.GetProperty("bare");
        Assert.Equal(2, bare.GetProperty("iterations").GetInt32());
        Assert.Equal(bare.GetProperty("fps").GetDouble(), root.GetProperty("bare_inference_fps").GetDouble());
        Assert.Equal(root.GetProperty("end_to_end_fps").GetDouble() / bare.GetProperty("fps").GetDouble(), root.GetProperty("pipeline_efficiency").GetDouble(), 6);
        Assert.True(root.GetProperty("capture_fps").GetDouble() > 0);
        Assert.True(root.GetProperty("inference_fps").GetDouble() > 0);

        var enqueue = root.GetProperty("capture_to_enqueue");
        Assert.Equal(5, enqueue.GetProperty("count").GetInt32());
        Assert.True(enqueue.GetProperty("p50_ms").GetDouble() <= enqueue.GetProperty("p95_ms").GetDouble());
        Assert.True(enqueue.GetProperty("p95_ms").GetDouble() <= enqueue.GetProperty("p99_ms").GetDouble());
        Assert.True(enqueue.GetProperty("max_ms").GetDouble() <= wall * 1000);

        // RoadAnomaly21 images with confirm_frames 1 give events; every one is acknowledged and comes back to the subscriber.
        var enqueued = root.GetProperty("events_enqueued").GetInt64();
        Assert.True(enqueued > 0, "no hazard events on RoadAnomaly21 images");
        Assert.Equal(enqueued, root.GetProperty("events_published").GetInt64());
        Assert.Equal(enqueued, root.GetProperty("events_received").GetInt64());
        var publish = root.GetProperty("capture_to_publish");
        Assert.InRange(publish.GetProperty("count").GetInt32(), 1, (int)enqueued);
        Assert.True(publish.GetProperty("min_ms").GetDouble() >= 0);
        Assert.True(publish.GetProperty("max_ms").GetDouble() <= wall * 1000 + 10_000);
        Assert.True(Directory.Exists(queue));
        Assert.Contains("pipeline end-to-end fps (processed / wall):", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| capture_to_publish |", File.ReadAllText(markdown), StringComparison.Ordinal);
        // The bare bench's input is named: no --image, so the 1280x720 pattern through the runtime's camera preprocessing.
        var input = bare.GetProperty("input");
        Assert.Contains(
            $"| bare bench input | pattern, 1280x720 -> {input[3].GetInt32()}x{input[2].GetInt32()} (CameraPreprocessor: ",
            File.ReadAllText(markdown),
            StringComparison.Ordinal);
        Assert.Contains("pipeline bare bench input: pattern, 1280x720 -> ", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_bench_without_a_source_fails_naming_the_option()
    {
        var code = await InvokeAsync("bench", "--model", Model, "--pipeline");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("--source", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_to_publish_is_arrival_minus_event_ts_for_new_and_update_events_only()
    {
        var t0 = DateTimeOffset.Parse("2025-06-01T12:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture);
        var lines = new List<(DateTimeOffset, string)>
        {
            (t0.AddMilliseconds(250), """{"type":"new","ts":"2025-06-01T12:00:00.000Z"}"""),
            (t0.AddMilliseconds(1500), """{"type":"update","ts":"2025-06-01T12:00:01.000Z"}"""),
            (t0.AddMilliseconds(9000), """{"type":"end","ts":"2025-06-01T12:00:01.000Z"}"""),
            (t0, "not json"),
        };

        Assert.Equal([250.0, 500.0], PipelineBench.CaptureToPublish(lines));
    }

    private async Task<int> InvokeAsync(params string[] args)
    {
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var root = new RootCommand { new BenchCommand(factory, _output, _error, richOutput: false).Create() };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = _output, Error = _error });
    }
}
