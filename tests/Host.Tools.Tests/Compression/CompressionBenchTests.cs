using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Host.Tools.Compression;
using Host.Tools.Evaluation;
using Host.Tools.Quantization;
using Host.Tools.Tests.Import;
using Host.Tools.Tests.Quantization;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Compression;

public sealed class CompressionBenchTests
{
    [Fact]
    public void Report_compares_each_model_with_its_baseline_round_by_round()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        QuantizationFixture.Quantize(floatPath, dir.File("int8.onnx"), QuantizationTargetKind.Cpu);
        WriteResults(dir.File("eval-float"), ("RoadAnomaly21", "VoidClass", 20.0, 80.0), ("RoadAnomaly21", "MaxLogit", 30.0, 70.0));
        WriteResults(dir.File("eval-int8"), ("RoadAnomaly21", "VoidClass", 19.2, 81.0), ("RoadAnomaly21", "MaxLogit", 30.3, 69.0));
        var plan = new CompressionBenchPlan
        {
            Models =
            [
                new CompressionBenchEntry { Name = "float", Model = floatPath, Eval = dir.File("eval-float"), Paper = "ERFNet" },
                new CompressionBenchEntry { Name = "int8", Model = dir.File("int8.onnx"), Eval = dir.File("eval-int8"), Baseline = "float", Kind = CompressionKind.Int8 },
            ],
        };
        plan.Validate("test");

        var rows = new CompressionBench(NullLogger.Instance).Run(plan, rounds: 2, iterations: 2, warmup: 1, threads: 1);

        var (f, q) = (rows[0], rows[1]);
        Assert.Equal(2, q.P50PerRound.Count);
        Assert.Equal(f.P50PerRound.Zip(q.P50PerRound, (a, b) => a / b), q.SpeedUpPerRound!);
        Assert.Null(f.SpeedUp);
        Assert.Equal(f.MinPerRound.Min() / q.MinPerRound.Min(), q.BestSpeedUp!.Value, 9);
        Assert.All(q.MinPerRound.Zip(q.P50PerRound), p => Assert.True(p.First <= p.Second));
        // Same network; its up-samplers are stored as phase convolutions (2x2 taps x 4 phases for a 3x3 ConvTranspose).
        Assert.InRange(q.Parameters, f.Parameters, f.Parameters * 1.1);
        Assert.True(q.SizeMegabytes < f.SizeMegabytes / 2, $"{q.SizeMegabytes} vs {f.SizeMegabytes} MB");
        Assert.Equal(-0.8, q.AuprcChange![CompressionRow.Key("RoadAnomaly21", "VoidClass")], 9);
        Assert.Equal(0.3, q.AuprcChange[CompressionRow.Key("RoadAnomaly21", "MaxLogit")], 9);
        Assert.Equal(0.8, CompressionTargets.WorstLoss(q)!.Value, 9);
        Assert.False(CompressionTargets.AccuracyMet(q));
        Assert.Equal(q.SpeedUp >= 2.0, CompressionTargets.SpeedMet(q));

        var paper = PaperTables.Load(TestPaths.Shared("reference/paper-tables.md"));
        var info = new CompressionRunInfo { Created = DateTimeOffset.UnixEpoch, Machine = "test", LoadBefore = "0", LoadAfter = "0", Threads = 1, Rounds = 2, Iterations = 2, Warmup = 1 };
        CompressionReportWriter.Write(rows, info, paper, dir.File("report.md"), dir.File("report.json"), dir.File("chart.png"));
        var markdown = File.ReadAllText(dir.File("report.md"));
        Assert.Contains("| 20.00 / 80.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("-0.80", markdown, StringComparison.Ordinal);
        Assert.Contains("19.31 / 1.41 / 20.77 / 9.71 (ERFNet)", markdown, StringComparison.Ordinal); // Table 4 row
        Assert.Contains("| 26.74, 2.06, 8.02, 0.22 |", markdown, StringComparison.Ordinal);             // Table 5 row
        Assert.Contains("worst AuPRC loss 0.80 points (target ≤ 0.5: **no**)", markdown, StringComparison.Ordinal);
        // The header names the input CompressionBench really times: the timing core's seeded tensor, not an image.
        var header = markdown.Split('\n')[2];
        Assert.Contains($"seeded synthetic input (System.Random({InferenceTimer.InputSeed})", header, StringComparison.Ordinal);
        Assert.DoesNotContain(".png", header, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllBytes(dir.File("report.json")));
        Assert.Equal(InferenceTimer.InputDescription, json.RootElement.GetProperty("info").GetProperty("Input").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(dir.File("chart.png")).Take(4));
    }

    [Fact]
    public void Gains_are_not_losses()
    {
        var row = new CompressionRow
        {
            Entry = new CompressionBenchEntry { Name = "q", Model = "q.onnx", Baseline = "f", Kind = CompressionKind.Int8 },
            Parameters = 1,
            Gflops = 1,
            SizeMegabytes = 1,
            P50PerRound = [10, 12, 11],
            SpeedUpPerRound = [2.5, 1.9, 2.1],
            Accuracy = new Dictionary<string, AccuracyCell>(),
            AuprcChange = new Dictionary<string, double> { ["a/VoidClass"] = 2.6, ["b/VoidClass"] = -0.35 },
        };

        Assert.Equal(0.35, CompressionTargets.WorstLoss(row)!.Value, 9);
        Assert.True(CompressionTargets.AccuracyMet(row));
        Assert.Equal(2.1, row.SpeedUp);          // median of the rounds
        Assert.Equal(11, row.MedianP50);
        Assert.True(CompressionTargets.SpeedMet(row));
    }

    [Fact]
    public void Plan_errors_name_the_field_and_the_expectation()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("p.json"), """{ "models": [ { "name": "a", "model": "a.onnx", "kind": "int8" } ] }""");
        var ex = Assert.Throws<InvalidDataException>(() => CompressionBenchPlan.Load(dir.File("p.json")));
        Assert.Contains("models['a'] is Int8 and needs a 'baseline'", ex.Message, StringComparison.Ordinal);

        File.WriteAllText(dir.File("p2.json"), """{ "models": [ { "name": "a", "model": "a.onnx", "baseline": "nope", "kind": "pruned" } ] }""");
        var ex2 = Assert.Throws<InvalidDataException>(() => CompressionBenchPlan.Load(dir.File("p2.json")));
        Assert.Contains("baseline expected the name of another entry, got 'nope'", ex2.Message, StringComparison.Ordinal);

        var plan = new CompressionBenchPlan { Models = [new CompressionBenchEntry { Name = "a", Model = dir.File("missing.onnx") }] };
        var ex3 = Assert.Throws<FileNotFoundException>(() => new CompressionBench(NullLogger.Instance).Run(plan, 1, 1, 0, 1));
        Assert.Contains("missing.onnx", ex3.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_plan_loads_and_names_the_paper_rows_it_compares_with()
    {
        var plan = CompressionBenchPlan.Load(Path.Combine(TestPaths.RepoRoot, "build", "compression-bench.json"));
        var paper = PaperTables.Load(TestPaths.Shared("reference/paper-tables.md"));
        Assert.All(plan.Models.Where(m => m.Paper is not null), m => Assert.NotNull(paper.Get("Table 4", m.Paper!, "RA21 AuPRC")));
        Assert.Contains(plan.Models, m => m.Kind == CompressionKind.Int8 && m.Name.StartsWith("ENet", StringComparison.Ordinal));
        Assert.Contains(plan.Models, m => m.Kind == CompressionKind.Pruned && m.Name.StartsWith("ERFNet", StringComparison.Ordinal));
    }

    private static void WriteResults(string directory, params (string Dataset, string Method, double Auprc, double Fpr95)[] cells)
    {
        Directory.CreateDirectory(directory);
        var doc = new
        {
            model = "m",
            results = cells.Select(c => new AnomalyResult
            {
                Dataset = c.Dataset,
                Method = c.Method,
                Temperature = 1,
                Auprc = c.Auprc,
                Fpr95 = c.Fpr95,
                Images = 1,
                Skipped = 0,
                Pixels = 1,
                AnomalyPixels = 1,
                DistinctScores = 1,
            }),
        };
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(doc, EvaluationJson.Options));
    }
}
