using System.CommandLine;
using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Commands;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Commands;

public sealed class BenchCommandTests(ITestOutputHelper testOutput)
{
    private static readonly string[] StageKeys = ["count", "mean_ms", "min_ms", "max_ms", "p50_ms", "p95_ms", "p99_ms", "fps"];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly CapturingLogger _logger = new();

    [Fact]
    public async Task Bench_writes_json_with_documented_schema()
    {
        var dir = TestPaths.NewTempDirectory();
        var model = new TinyConvModel().WriteTo(dir);
        var json = Path.Combine(dir, "out", "bench.json");

        var code = await InvokeAsync("bench", "--model", model, "--iterations", "7", "--warmup", "1", "--provider", "tensorrt,cuda,cpu", "--threads", "1", "--json", json);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, _error.ToString());
        testOutput.WriteLine(File.ReadAllText(json));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.Equal("cpu", root.GetProperty("provider").GetString());
        Assert.Equal([1, 3, 8, 16], root.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(7, root.GetProperty("iterations").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        var p50 = root.GetProperty("p50_ms").GetDouble();
        var p95 = root.GetProperty("p95_ms").GetDouble();
        var p99 = root.GetProperty("p99_ms").GetDouble();
        var mean = root.GetProperty("mean_ms").GetDouble();
        Assert.True(p50 > 0 && p50 <= p95 && p95 <= p99, $"percentiles not ordered: {p50} {p95} {p99}");
        Assert.True(root.GetProperty("min_ms").GetDouble() <= p50 && p99 <= root.GetProperty("max_ms").GetDouble());
        Assert.Equal(1000.0 / mean, root.GetProperty("fps").GetDouble(), 6);
        Assert.Equal("1000/mean_ms", root.GetProperty("fps_basis").GetString());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("machine").GetProperty("os").GetString()));
        Assert.Contains("p50 ms:", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("tensorrt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_with_image_preprocesses_it_into_the_input()
    {
        var dir = TestPaths.NewTempDirectory();
        var model = new TinyConvModel().WriteTo(dir);
        var json = Path.Combine(dir, "bench.json");
        var image = TestPaths.SharedFile("data/Validation_Dataset/RoadAnomaly21/images/0.png");

        var code = await InvokeAsync("bench", "--model", model, "--iterations", "2", "--image", image, "--json", json);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(image, doc.RootElement.GetProperty("input_source").GetString());
    }

    [Fact]
    public async Task Bench_json_has_a_breakdown_whose_stages_add_up_to_the_frame_total()
    {
        var dir = TestPaths.NewTempDirectory();
        var model = new TinyConvModel().WriteTo(dir);
        var json = Path.Combine(dir, "bench.json");

        var code = await InvokeAsync("bench", "--model", model, "--iterations", "5", "--warmup", "1", "--threads", "1", "--json", json);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("fp32", root.GetProperty("precision").GetString());
        Assert.Equal("fp32", root.GetProperty("precision_effective").GetString());
        Assert.Equal(0, root.GetProperty("qdq_nodes").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("engine_cache").ValueKind);
        Assert.Equal("pattern", root.GetProperty("input_source").GetString());
        var breakdown = root.GetProperty("breakdown");
        Assert.Equal("1280x720 -> 16x8 (CameraPreprocessor: OpenCV resize + CHW/255)", breakdown.GetProperty("preprocess_description").GetString());
        Assert.Equal("MaxLogit", breakdown.GetProperty("score_method").GetString());
        var means = new Dictionary<string, double>();
        foreach (var stage in new[] { "preprocess", "inference", "score", "total" })
        {
            var stats = breakdown.GetProperty(stage);
            Assert.Equal(StageKeys.Order(StringComparer.Ordinal), stats.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(5, stats.GetProperty("count").GetInt32());
            Assert.True(stats.GetProperty("min_ms").GetDouble() <= stats.GetProperty("p50_ms").GetDouble(), stage);
            Assert.True(stats.GetProperty("p99_ms").GetDouble() <= stats.GetProperty("max_ms").GetDouble(), stage);
            means[stage] = stats.GetProperty("mean_ms").GetDouble();
        }

        Assert.True(means["preprocess"] > 0 && means["inference"] > 0 && means["score"] > 0, string.Join(", ", means));
        Assert.Equal(means["preprocess"] + means["inference"] + means["score"], means["total"], 6);
        Assert.Equal(root.GetProperty("p50_ms").GetDouble(), breakdown.GetProperty("inference").GetProperty("p50_ms").GetDouble());
        Assert.Equal(1000.0 / means["total"], root.GetProperty("end_to_end_fps").GetDouble(), 6);
        Assert.True(root.GetProperty("peak_rss_mb").GetDouble() > 10, "a .NET process with ONNX Runtime loaded uses more than 10 MB");
        Assert.Equal("/proc/self/status VmHWM", root.GetProperty("peak_rss_source").GetString());
        Assert.Contains("total: ", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_markdown_lists_every_stage_with_the_json_numbers()
    {
        var dir = TestPaths.NewTempDirectory();
        var model = new TinyConvModel().WriteTo(dir);
        var json = Path.Combine(dir, "bench.json");
        var markdown = Path.Combine(dir, "md", "bench.md");

        var code = await InvokeAsync("bench", "--model", model, "--iterations", "3", "--warmup", "0", "--json", json, "--markdown", markdown);

        Assert.Equal(0, code);
        var text = File.ReadAllText(markdown);
        testOutput.WriteLine(text);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var breakdown = doc.RootElement.GetProperty("breakdown");
        Assert.StartsWith("# edgeseg bench: tiny.onnx", text, StringComparison.Ordinal);
        Assert.Contains("| stage | p50 ms | p95 ms | p99 ms | mean ms | min ms | max ms |", text, StringComparison.Ordinal);
        foreach (var stage in new[] { "preprocess", "inference", "score", "total" })
        {
            var p50 = breakdown.GetProperty(stage).GetProperty("p50_ms").GetDouble().ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"| {stage} | {p50} |", text, StringComparison.Ordinal);
        }

        Assert.Contains("| precision | fp32 |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fp16_on_cpu_only_is_an_error_that_names_tensorrt()
    {
        var model = new TinyConvModel().WriteTo(TestPaths.NewTempDirectory());

        var code = await InvokeAsync("bench", "--model", model, "--provider", "cpu", "--precision", "fp16");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("--precision fp16", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("tensorrt", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fp16_with_tensorrt_falling_back_to_cpu_reports_fp32_effective_and_warns()
    {
        var dir = TestPaths.NewTempDirectory();
        var model = new TinyConvModel().WriteTo(dir);
        var json = Path.Combine(dir, "bench.json");

        var code = await InvokeAsync("bench", "--model", model, "--provider", "tensorrt,cpu", "--precision", "fp16", "--iterations", "2", "--json", json);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("cpu", doc.RootElement.GetProperty("provider").GetString());
        Assert.Equal("fp16", doc.RootElement.GetProperty("precision").GetString());
        Assert.Equal("fp32", doc.RootElement.GetProperty("precision_effective").GetString());
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("runs fp32", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Int8_on_cpu_needs_a_qdq_model()
    {
        var dir = TestPaths.NewTempDirectory();
        var plain = new TinyConvModel().WriteTo(dir);
        var qdq = QdqConvModel.WriteTo(dir);
        var json = Path.Combine(dir, "bench.json");

        var rejected = await InvokeAsync("bench", "--model", plain, "--precision", "int8");
        var accepted = await InvokeAsync("bench", "--model", qdq, "--precision", "int8", "--iterations", "2", "--json", json);

        Assert.Equal(ExitCodes.Failure, rejected);
        Assert.Contains("QuantizeLinear", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains(plain, _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, accepted);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(1, doc.RootElement.GetProperty("qdq_nodes").GetInt32());
        Assert.Equal("int8", doc.RootElement.GetProperty("precision_effective").GetString());
    }

    [Fact]
    public async Task Missing_model_exits_2_naming_the_file()
    {
        var missing = Path.Combine(TestPaths.NewTempDirectory(), "missing.onnx");

        var code = await InvokeAsync("bench", "--model", missing);

        Assert.Equal(ExitCodes.MissingFile, code);
        Assert.Contains(missing, _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_model_exits_non_zero_with_message()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "corrupt.onnx");
        File.WriteAllText(path, "not a model");

        var code = await InvokeAsync("bench", "--model", path);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains(path, _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--iterations", "0")]
    [InlineData("--provider", "openvino")]
    [InlineData("--threads", "0")]
    [InlineData("--precision", "fp8")]
    public async Task Bad_arguments_exit_non_zero(string option, string value)
    {
        var model = new TinyConvModel().WriteTo(TestPaths.NewTempDirectory());

        var code = await InvokeAsync("bench", "--model", model, option, value);

        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task Bare_bench_runs_the_session_with_the_runtimes_model_settings()
    {
        var dir = TestPaths.NewTempDirectory();
        var model = new TinyConvModel().WriteTo(dir);
        var config = Path.Combine(dir, "edgeseg.json");
        File.WriteAllText(config, """{ "model": { "allow_spinning": true } }""");
        var runtimeDefaults = Path.Combine(dir, "defaults.json");
        var configured = Path.Combine(dir, "configured.json");

        Assert.Equal(0, await InvokeAsync("bench", "--model", model, "--iterations", "2", "--warmup", "0", "--threads", "1", "--json", runtimeDefaults));
        Assert.Equal(0, await InvokeAsync("bench", "--model", model, "--iterations", "2", "--warmup", "0", "--threads", "1", "--config", config, "--json", configured));

        using var defaults = JsonDocument.Parse(File.ReadAllText(runtimeDefaults));
        using var fromFile = JsonDocument.Parse(File.ReadAllText(configured));
        Assert.False(defaults.RootElement.GetProperty("ort_spinning").GetBoolean()); // the runtime's default, as edgeseg run
        Assert.True(fromFile.RootElement.GetProperty("ort_spinning").GetBoolean());
    }

    [Fact]
    public void Percentiles_interpolate_linearly_between_ranks()
    {
        double[] sorted = [10, 20, 30, 40, 50];

        Assert.Equal(30, LatencyStatistics.Percentile(sorted, 50));
        Assert.Equal(48, LatencyStatistics.Percentile(sorted, 95), 9); // rank 3.8 → 40 + 0.8·10
        Assert.Equal(49.6, LatencyStatistics.Percentile(sorted, 99), 9); // rank 3.96
        Assert.Equal(25, LatencyStatistics.Percentile([20, 30], 50));
        var stats = LatencyStatistics.FromSamples([50, 10, 40, 20, 30]);
        Assert.Equal(30, stats.MeanMs);
        Assert.Equal(1000.0 / 30, stats.Fps, 9);
    }

    private async Task<int> InvokeAsync(params string[] args)
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logger).SetMinimumLevel(LogLevel.Trace));
        var root = new RootCommand { new BenchCommand(factory, _output, _error, richOutput: false).Create() };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = _output, Error = _error });
    }
}
