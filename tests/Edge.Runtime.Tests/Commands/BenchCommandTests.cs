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
    public async Task Bad_arguments_exit_non_zero(string option, string value)
    {
        var model = new TinyConvModel().WriteTo(TestPaths.NewTempDirectory());

        var code = await InvokeAsync("bench", "--model", model, option, value);

        Assert.NotEqual(0, code);
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
