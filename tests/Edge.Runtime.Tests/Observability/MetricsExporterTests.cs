using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Observability;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Observability;

/// <summary>The Prometheus endpoint scraped over real HTTP: values fed in, text format out, and <c>edgeseg run</c> serving it.</summary>
public sealed class MetricsExporterTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Scrape_serves_the_counts_fed_in_as_prometheus_text()
    {
        var stats = Stats(captured: 12, processed: 10, dropped: 2);
        var pending = 3;
        var connected = true;
        var metrics = new RuntimeMetrics(() => stats, () => pending, () => connected);
        double[] inferenceMs = [0.2, 3, 3, 40, 900, 20_000];
        foreach (var ms in inferenceMs)
        {
            metrics.ObserveStage(PipelineStats.Inference, ms);
        }

        metrics.ObserveStage(PipelineStats.Hazards, 1.5);
        foreach (var type in new[] { HazardEventType.New, HazardEventType.New, HazardEventType.Update, HazardEventType.End })
        {
            metrics.CountHazardEvent(Event(type));
        }

        var port = FreePort();
        using var exporter = MetricsExporter.Start(new MetricsSettings { Port = port }, metrics, NullLogger<MetricsExporter>.Instance);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/metrics"), exporter.Endpoint);

        var (contentType, text) = await ScrapeAsync(exporter.Endpoint);

        Assert.StartsWith("text/plain", contentType, StringComparison.Ordinal);
        Assert.Contains("version=0.0.4", contentType, StringComparison.Ordinal);
        var lines = text.Split('\n');
        foreach (var (name, type) in new[]
        {
            ("edgeseg_frames_captured_total", "counter"), ("edgeseg_frames_processed_total", "counter"), ("edgeseg_frames_dropped_total", "counter"),
            ("edgeseg_hazard_events_total", "counter"), ("edgeseg_alert_queue_pending", "gauge"), ("edgeseg_mqtt_connected", "gauge"),
            ("edgeseg_stage_seconds", "histogram"),
        })
        {
            Assert.Contains($"# TYPE {name} {type}", lines);
            Assert.Contains(lines, l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal));
        }

        var samples = Parse(text);
        Assert.Equal(12, samples["edgeseg_frames_captured_total"]);
        Assert.Equal(10, samples["edgeseg_frames_processed_total"]);
        Assert.Equal(2, samples["edgeseg_frames_dropped_total"]);
        Assert.Equal(2, samples["edgeseg_hazard_events_total{type=\"new\"}"]);
        Assert.Equal(1, samples["edgeseg_hazard_events_total{type=\"update\"}"]);
        Assert.Equal(1, samples["edgeseg_hazard_events_total{type=\"end\"}"]);
        Assert.Equal(3, samples["edgeseg_alert_queue_pending"]);
        Assert.Equal(1, samples["edgeseg_mqtt_connected"]);

        // Cumulative buckets, counted here from the observations (milliseconds -> seconds).
        var buckets = Buckets(samples, "inference");
        Assert.Equal(RuntimeMetrics.StageBuckets.Count + 1, buckets.Count); // + Inf
        foreach (var (le, count) in buckets)
        {
            Assert.Equal(inferenceMs.Count(ms => ms / 1000.0 <= le), count);
        }

        Assert.Equal(inferenceMs.Length, samples["edgeseg_stage_seconds_count{stage=\"inference\"}"]);
        Assert.Equal(inferenceMs.Sum() / 1000.0, samples["edgeseg_stage_seconds_sum{stage=\"inference\"}"], 9);
        Assert.Equal(1, samples["edgeseg_stage_seconds_count{stage=\"hazards\"}"]);
        Assert.Equal(0, samples["edgeseg_stage_seconds_count{stage=\"preprocess\"}"]); // every stage is listed from the start

        // The next scrape reads the sources again: counters follow the pipeline, gauges follow the queue and the broker.
        stats = Stats(captured: 30, processed: 27, dropped: 3);
        (pending, connected) = (0, false);
        samples = Parse((await ScrapeAsync(exporter.Endpoint)).Text);
        Assert.Equal(30, samples["edgeseg_frames_captured_total"]);
        Assert.Equal(27, samples["edgeseg_frames_processed_total"]);
        Assert.Equal(3, samples["edgeseg_frames_dropped_total"]);
        Assert.Equal(0, samples["edgeseg_alert_queue_pending"]);
        Assert.Equal(0, samples["edgeseg_mqtt_connected"]);
    }

    [Fact]
    public async Task Binding_every_interface_answers_whatever_host_the_scraper_names()
    {
        var port = FreePort();
        var metrics = new RuntimeMetrics(() => Stats(captured: 5, processed: 5, dropped: 0), () => 0, () => true);
        using var exporter = MetricsExporter.Start(new MetricsSettings { Port = port, Bind = "0.0.0.0" }, metrics, NullLogger<MetricsExporter>.Instance);

        foreach (var host in new[] { "127.0.0.1", "localhost" })
        {
            var samples = Parse((await ScrapeAsync(new Uri($"http://{host}:{port}/metrics"))).Text);
            Assert.Equal(5, samples["edgeseg_frames_processed_total"]);
        }
    }

    [Fact]
    public void A_taken_port_fails_at_start_naming_the_setting()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var metrics = new RuntimeMetrics(() => null, () => 0, () => false);

        var ex = Assert.Throws<IOException>(() => MetricsExporter.Start(new MetricsSettings { Port = port }, metrics, NullLogger<MetricsExporter>.Instance));

        Assert.Contains("metrics.port", ex.Message, StringComparison.Ordinal);
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_default_to_off_on_loopback_and_name_bad_fields()
    {
        var defaults = RuntimeSettings.Load(null, new Dictionary<string, string?>());
        Assert.False(defaults.Metrics.Enabled);
        Assert.Equal("127.0.0.1", defaults.Metrics.Bind);

        var fromEnvironment = RuntimeSettings.Load(null, new Dictionary<string, string?> { ["EDGESEG__METRICS__PORT"] = "9464", ["EDGESEG__METRICS__BIND"] = "0.0.0.0" });
        Assert.Equal(9464, fromEnvironment.Metrics.Port);
        Assert.Equal("+", fromEnvironment.Metrics.ListenerHost());

        var bad = defaults with { Metrics = new MetricsSettings { Port = 70000, Bind = "vehicle.local" } };
        var errors = bad.Validate();
        Assert.Contains("metrics.port: expected 1..65535, or 0 for no metrics endpoint, got 70000", errors);
        Assert.Contains(errors, e => e.StartsWith("metrics.bind: expected an IP address", StringComparison.Ordinal) && e.EndsWith("got 'vehicle.local'", StringComparison.Ordinal));
        Assert.Equal("[::1]", new MetricsSettings { Bind = "::1" }.ListenerHost());
    }

    [Fact]
    public async Task Edgeseg_run_with_metrics_port_serves_processed_frames()
    {
        var repo = SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var model = Path.Combine(repo, "models", "enet-seed-560-void.onnx");
        Assert.True(File.Exists(model), $"{model} is missing: run `make models` before the tests.");
        var dir = TestPaths.NewTempDirectory();
        var images = Path.Combine(dir, "frames");
        Directory.CreateDirectory(images);
        foreach (var file in Directory.GetFiles(TestPaths.SharedFile(Path.Combine("data", "Validation_Dataset", "RoadAnomaly21", "images"))).Order(StringComparer.Ordinal).Take(2))
        {
            File.Copy(file, Path.Combine(images, Path.GetFileName(file)));
        }

        var metricsPort = FreePort();
        var config = Path.Combine(dir, "edgeseg.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            device_id = "metrics",
            source = new { uri = images, loop = true }, // runs until the test stops it
            model = new { path = model, providers = new[] { "cpu" } },
            mqtt = new { embedded_port = FreePort() },
            queue = new { directory = Path.Combine(dir, "queue") },
            metrics = new { port = metricsPort },
            stats_interval_seconds = 0,
        }));
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var run = Task.Run(() => new RunCommand(NullLoggerFactory.Instance, stdout, stderr).ExecuteAsync(new RunOptions(config, null, null, null, null, null), stop.Token));

        var endpoint = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
        var deadline = DateTime.UtcNow + Bounded;
        Dictionary<string, double> samples = [];
        while (!(samples.GetValueOrDefault("edgeseg_frames_processed_total") > 0 && samples.GetValueOrDefault("edgeseg_mqtt_connected") == 1))
        {
            Assert.False(run.IsCompleted, $"edgeseg run ended early: {stderr}");
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for processed frames on the metrics endpoint");
            await Task.Delay(200);
            try
            {
                samples = Parse((await ScrapeAsync(endpoint)).Text);
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
        }

        await stop.CancelAsync();
        var code = await run.WaitAsync(Bounded);
        Assert.True(code == ExitCodes.Success, stderr.ToString());
        Assert.True(samples["edgeseg_frames_captured_total"] >= samples["edgeseg_frames_processed_total"]);
        Assert.True(samples["edgeseg_stage_seconds_count{stage=\"inference\"}"] >= samples["edgeseg_frames_processed_total"]);
        Assert.True(samples["edgeseg_stage_seconds_sum{stage=\"inference\"}"] > 0);
        await Assert.ThrowsAsync<HttpRequestException>(() => ScrapeAsync(endpoint)); // stopped with the run
    }

    private static async Task<(string ContentType, string Text)> ScrapeAsync(Uri endpoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(endpoint);
        response.EnsureSuccessStatusCode();
        return (response.Content.Headers.ContentType?.ToString() ?? string.Empty, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sample lines <c>name{labels} value</c> of the text format, keyed by <c>name{labels}</c>.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            samples.Add(line[..space], double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return samples;
    }

    private static List<(double Le, double Count)> Buckets(Dictionary<string, double> samples, string stage)
    {
        var prefix = $"edgeseg_stage_seconds_bucket{{stage=\"{stage}\",le=\"";
        return samples.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => (Le: s.Key[prefix.Length..^2] is var le && le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), Count: s.Value))
            .OrderBy(b => b.Le)
            .ToList();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static PipelineStats Stats(long captured, long processed, long dropped) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Source = "test",
        Provider = "cpu",
        UptimeSeconds = 1,
        FramesCaptured = captured,
        FramesProcessed = processed,
        FramesDropped = dropped,
        Reconnects = 0,
        EventsEnqueued = 0,
        ActiveHazards = 0,
        CaptureFps = 0,
        InferenceFps = 0,
        Latency = new Dictionary<string, LatencyStatistics>(),
    };

    private static HazardEvent Event(HazardEventType type) => TestEvents.Make((int)type);
}
