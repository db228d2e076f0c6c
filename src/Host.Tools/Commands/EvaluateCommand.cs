using System.CommandLine;
using System.Globalization;
using Edge.Runtime.Inference;
using Edge.Runtime.Metrics;
using Host.Tools.Evaluation;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools evaluate</c>: the paper's pixel-level anomaly evaluation (AuPRC, FPR95, AUROC) of one model.</summary>
public sealed class EvaluateCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public EvaluateCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model (input 'image', output 'logits'; or a heads model with output 'score': evaluated for the score it carries)", Required = true };
        var data = new Option<string>("--data") { Description = "A dataset folder (images/ + labels_masks/) or a folder of them", Required = true };
        var datasets = new Option<string>("--datasets") { Description = "Comma-separated dataset folder names (default: all)" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated scores: MSP,MaxLogit,MaxEntropy,VoidClass,Energy", DefaultValueFactory = _ => "MSP,MaxLogit,MaxEntropy,VoidClass" };
        var temperatures = new Option<string>("--temperature") { Description = "Comma-separated extra temperatures for MSP/MaxEntropy/Energy (T=1 always runs)" };
        var fpr95 = new Option<string>("--fpr95") { Description = "FPR95 convention: interpolated (paper, default) or first", DefaultValueFactory = _ => "interpolated" };
        var output = new Option<string>("--out") { Description = "Report folder (results.json, results.csv, report.md, curves/, overlays/)", Required = true };
        var overlays = new Option<int>("--overlays") { Description = "Heat-map overlays per dataset (first score)", DefaultValueFactory = _ => 0 };
        var voidIndex = new Option<int?>("--void-index") { Description = "Void channel for VoidClass (default: model card, else 19)" };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [CpuExecutionProvider.ProviderName],
        };
        var command = new Command("evaluate", "Pixel-level anomaly evaluation with the paper's protocol (exact AuPRC / FPR95 / AUROC)")
        {
            model, data, datasets, methods, temperatures, fpr95, output, overlays, voidIndex, providers,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandRunner.Run(_loggerFactory, "evaluate", logger =>
        {
            var outDir = parse.GetValue(output)!;
            var settings = new AnomalyEvaluationSettings
            {
                ModelPath = parse.GetValue(model)!,
                DataPath = parse.GetValue(data)!,
                Datasets = SplitList(parse.GetValue(datasets)),
                Methods = SplitList(parse.GetValue(methods)),
                Temperatures = [.. SplitList(parse.GetValue(temperatures)).Select(ParseTemperature)],
                Fpr95 = ParseConvention(parse.GetValue(fpr95)!),
                Overlays = parse.GetValue(overlays),
                OverlayDirectory = Path.Combine(outDir, "overlays"),
                VoidIndex = parse.GetValue(voidIndex),
                Providers = parse.GetValue(providers)!,
            };
            var report = new AnomalyEvaluator(_loggerFactory).Run(settings, cancellationToken);
            EvaluationReportWriter.Write(report, outDir);
            PrintTable(report);
            logger.LogInformation("wrote {Dir}/results.json, results.csv, report.md ({Seconds:F1} s, peak working set {Mb:F0} MB)", outDir, report.TotalSeconds, report.PeakWorkingSetBytes / 1e6);
            return 0;
        })));
        return command;
    }

    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static Fpr95Convention ParseConvention(string value) =>
        Enum.TryParse<Fpr95Convention>(value.Trim(), ignoreCase: true, out var convention) && Enum.IsDefined(convention)
            ? convention
            : throw new ArgumentException($"--fpr95: expected 'interpolated' or 'first', got '{value}'.");

    private static double ParseTemperature(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t) && t > 0
            ? t
            : throw new ArgumentException($"--temperature: expected numbers > 0 separated by commas, got '{value}'.");

    private static void PrintTable(AnomalyEvaluationReport report)
    {
        var table = new Table().Title($"{report.Model} ({report.Fpr95Convention} FPR95)");
        foreach (var column in new[] { "Dataset", "Score", "AuPRC", "FPR95", "AUROC", "images", "skipped" })
        {
            table.AddColumn(column);
        }

        foreach (var r in report.Results)
        {
            table.AddRow(
                r.Dataset,
                new ScoreSpec(r.Method, r.Temperature).Label,
                Format(r.Auprc),
                Format(r.Fpr95),
                Format(r.Auroc),
                r.Images.ToString(CultureInfo.InvariantCulture),
                r.Skipped.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string Format(double? v) => v is null ? "n/a" : v.Value.ToString("F2", CultureInfo.InvariantCulture);
}
