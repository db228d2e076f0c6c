using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Host.Tools.Benchmarking;
using Host.Tools.Evaluation;
using Host.Tools.Profiling;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Compression;

/// <summary>
/// Measures every model of a <see cref="CompressionBenchPlan"/>: parameters, FLOPs and size (<see cref="OnnxProfiler"/>),
/// ORT CPU latency in interleaved rounds (every model once per round, so load changes hit all of them alike; speed-up =
/// median over rounds of baseline p50 / model p50), and AuPRC / FPR95 read from each model's evaluation report.
/// </summary>
public sealed class CompressionBench
{
    public static readonly string[] Datasets = ["RoadAnomaly21", "RoadObsticle21", "fs_static", "RoadAnomaly"];

    public static readonly string[] Methods = ["VoidClass", "MaxLogit"];

    private readonly ILogger _logger;

    public CompressionBench(ILogger logger)
    {
        _logger = logger;
    }

    public IReadOnlyList<CompressionRow> Run(CompressionBenchPlan plan, int rounds, int iterations, int warmup, int? threads,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        foreach (var m in plan.Models.Where(m => !File.Exists(m.Model)))
        {
            throw new FileNotFoundException($"compression plan: model '{m.Name}' expected at '{m.Model}', which does not exist.", m.Model);
        }

        var profiles = plan.Models.ToDictionary(m => m.Name, m => OnnxProfiler.Profile(m.Model), StringComparer.Ordinal);
        var p50 = plan.Models.ToDictionary(m => m.Name, _ => new List<double>(), StringComparer.Ordinal);
        var min = plan.Models.ToDictionary(m => m.Name, _ => new List<double>(), StringComparer.Ordinal);
        for (var r = 0; r < rounds; r++)
        {
            foreach (var m in plan.Models)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stats = ModelTimer.TimeOnnx(m.Model, warmup, iterations, threads, _logger, cancellationToken);
                p50[m.Name].Add(stats.P50Ms);
                min[m.Name].Add(stats.MinMs);
                _logger.LogInformation("round {Round}/{Rounds}: {Model} p50 {P50:F1} ms", r + 1, rounds, m.Name, stats.P50Ms);
            }
        }

        var accuracy = plan.Models.ToDictionary(m => m.Name, m => ReadAccuracy(m), StringComparer.Ordinal);
        return plan.Models.Select(m =>
        {
            var profile = profiles[m.Name];
            IReadOnlyList<double>? speedUp = null;
            IReadOnlyDictionary<string, double>? change = null;
            if (m.Baseline is { } b)
            {
                speedUp = p50[b].Zip(p50[m.Name], (baseline, model) => baseline / model).ToList();
                var mine = accuracy[m.Name];
                var theirs = accuracy[b];
                change = mine.Count > 0 && theirs.Count > 0
                    ? mine.Keys.Where(theirs.ContainsKey).ToDictionary(k => k, k => mine[k].Auprc - theirs[k].Auprc, StringComparer.Ordinal)
                    : null;
            }

            return new CompressionRow
            {
                Entry = m,
                Parameters = profile.Parameters,
                Gflops = profile.ConvFlops / 1e9,
                SizeMegabytes = profile.SizeBytes / 1e6,
                P50PerRound = p50[m.Name],
                SpeedUpPerRound = speedUp,
                MinPerRound = min[m.Name],
                BestSpeedUp = m.Baseline is { } baseline ? min[baseline].Min() / min[m.Name].Min() : null,
                Accuracy = accuracy[m.Name],
                AuprcChange = change,
            };
        }).ToList();
    }

    /// <summary>AuPRC / FPR95 by (dataset, method) from <c>&lt;eval&gt;/results.json</c> (T = 1 rows).</summary>
    public static IReadOnlyDictionary<string, AccuracyCell> ReadAccuracy(CompressionBenchEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Eval is null)
        {
            return new Dictionary<string, AccuracyCell>();
        }

        var path = Path.Combine(entry.Eval, "results.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"compression plan: model '{entry.Name}' names the evaluation '{path}', which does not exist (run edgeseg-tools evaluate --out {entry.Eval}).", path);
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var cells = new Dictionary<string, AccuracyCell>(StringComparer.Ordinal);
        foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            var result = r.Deserialize<AnomalyResult>(EvaluationJson.Options)
                ?? throw new InvalidDataException($"{path}: a null entry in 'results'.");
            if (Math.Abs(result.Temperature - 1) < 1e-9 && result.Auprc is { } a && result.Fpr95 is { } f)
            {
                cells[CompressionRow.Key(result.Dataset, result.Method)] = new AccuracyCell(a, f);
            }
        }

        return cells;
    }
}
