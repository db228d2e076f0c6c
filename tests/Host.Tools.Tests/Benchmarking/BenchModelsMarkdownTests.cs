using System.Globalization;
using Edge.Runtime.Benchmarking;
using Host.Tools.Benchmarking;

namespace Host.Tools.Tests.Benchmarking;

public sealed class BenchModelsMarkdownTests
{
    [Fact]
    public void Header_names_the_seeded_synthetic_input_both_engines_time()
    {
        var markdown = BenchModelsMarkdown.Render([], height: 512, width: 1024, iterations: 20, warmup: 3, threads: null, load: "0.5 at start, 0.6 at end");

        var input = Assert.Single(markdown.Split('\n'), l => l.StartsWith("- Input:", StringComparison.Ordinal));
        Assert.StartsWith($"- Input: 1x3x512x1024 float32, seeded synthetic input (System.Random({InferenceTimer.InputSeed}) bytes / 255", input, StringComparison.Ordinal);
        Assert.Contains("`InferenceTimer`", input, StringComparison.Ordinal);
        Assert.DoesNotContain(".png", input, StringComparison.Ordinal);
        Assert.DoesNotContain("real image", input, StringComparison.Ordinal);
        Assert.Contains("- Conditions: 3 warm-up runs, then 20 timed runs per model and engine; threads: all cores;", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_give_the_TorchSharp_over_ORT_speed_up_and_share_the_network_of_the_trt_variant()
    {
        var ort = LatencyStatistics.FromSamples([40.0, 50.0, 60.0]);
        var torch = LatencyStatistics.FromSamples([90.0, 100.0, 130.0]);
        BenchmarkRow[] rows =
        [
            new("enet", "enet-seed", 358_488, 3 * 1024 * 1024 / 2, ort, torch),
            new("enet-trt", "enet-seed", 358_488, 3 * 1024 * 1024 / 2, ort, null),
        ];

        var markdown = BenchModelsMarkdown.Render(rows, height: 512, width: 1024, iterations: 3, warmup: 0, threads: 2, load: "n/a");

        var speedUp = (100.0 / 50.0).ToString("F2", CultureInfo.InvariantCulture);
        Assert.Contains($"| enet | enet-seed | 358,488 | 1.50 MB | 50.0 | {ort.P95Ms.ToString("F1", CultureInfo.InvariantCulture)} | 20.00 | 100.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains($" {speedUp}x |", markdown, StringComparison.Ordinal);
        Assert.Contains("| enet-trt | enet-seed | 358,488 | 1.50 MB | 50.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| (same network) | |", markdown, StringComparison.Ordinal);
        Assert.Contains("threads: 2;", markdown, StringComparison.Ordinal);
    }
}
