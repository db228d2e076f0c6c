using System.CommandLine;
using Edge.Runtime.Configuration;
using Host.Tools.Benchmarking;
using Host.Tools.Compression;
using Host.Tools.Evaluation;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools compression-report</c>: the table of every compressed model (params, FLOPs, size, interleaved ORT CPU
/// latency, speed-up, AuPRC / FPR95 per dataset and change vs its float baseline, the paper's Table 4) and the targets.
/// </summary>
public sealed class CompressionReportCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public CompressionReportCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var planOption = new Option<string>("--plan") { DefaultValueFactory = _ => "build/compression-bench.json", Description = "Models to measure (name, model, eval, baseline, kind, paper)" };
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 5, Description = "Interleaved latency rounds" };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 10, Description = "Timed runs per model and round" };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 2, Description = "Untimed runs per model and round" };
        var threads = new Option<int?>("--threads") { Description = "ORT intra-op threads (default: all cores)" };
        var markdown = new Option<string>("--out") { DefaultValueFactory = _ => "docs/compression-bench.md", Description = "Markdown report" };
        var json = new Option<string?>("--json") { Description = "Also write the rows as JSON" };
        var chart = new Option<string?>("--chart") { Description = "Also write a latency bar chart (PNG)" };
        var data = new Option<string?>("--data") { Description = "Anomaly datasets: evaluate (VoidClass, MaxLogit) every model whose report is missing or older than the model" };
        var command = new Command("compression-report", "Measure every compressed model against its float baseline (cost, speed, anomaly accuracy, targets)")
        {
            planOption, rounds, iterations, warmup, threads, markdown, json, chart, data,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandRunner.Run(_loggerFactory, "compression-report", logger =>
        {
            var planPath = parse.GetValue(planOption)!;
            if (!File.Exists(planPath))
            {
                throw new FileNotFoundException($"--plan: '{planPath}' does not exist.", planPath);
            }

            var plan = CompressionBenchPlan.Load(planPath);
            var shared = SharedData.Resolve();
            if (parse.GetValue(data) is { } dataPath)
            {
                Evaluate(plan, dataPath, logger, cancellationToken);
            }

            var loadBefore = HostLoad.LoadAverage();
            var rows = new CompressionBench(logger).Run(plan, parse.GetValue(rounds), parse.GetValue(iterations), parse.GetValue(warmup), parse.GetValue(threads), cancellationToken);
            var info = new CompressionRunInfo
            {
                Created = DateTimeOffset.UtcNow,
                Machine = $"{Environment.ProcessorCount} cores",
                LoadBefore = loadBefore,
                LoadAfter = HostLoad.LoadAverage(),
                Threads = parse.GetValue(threads) ?? Environment.ProcessorCount,
                Rounds = parse.GetValue(rounds),
                Iterations = parse.GetValue(iterations),
                Warmup = parse.GetValue(warmup),
            };
            var tablesPath = Path.Combine(shared, "reference", "paper-tables.md");
            var paper = File.Exists(tablesPath) ? PaperTables.Load(tablesPath) : null;
            CompressionReportWriter.Write(rows, info, paper, parse.GetValue(markdown)!, parse.GetValue(json), parse.GetValue(chart));
            Console.WriteLine(CompressionReportWriter.Markdown(rows, info, paper));
            logger.LogInformation("wrote {Markdown}", parse.GetValue(markdown));
            return 0;
        })));
        return command;
    }

    private void Evaluate(CompressionBenchPlan plan, string dataPath, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var entry in plan.Models.Where(m => m.Eval is not null))
        {
            var results = Path.Combine(entry.Eval!, "results.json");
            if (File.Exists(results) && File.GetLastWriteTimeUtc(results) > File.GetLastWriteTimeUtc(entry.Model))
            {
                continue;
            }

            logger.LogInformation("evaluating {Model} -> {Report}", entry.Model, entry.Eval);
            var report = WorkProgress.Run(() => new AnomalyEvaluator(_loggerFactory).Run(new AnomalyEvaluationSettings
            {
                ModelPath = entry.Model,
                DataPath = dataPath,
                Methods = CompressionBench.Methods,
            }, cancellationToken));
            EvaluationReportWriter.Write(report, entry.Eval!);
        }
    }
}
