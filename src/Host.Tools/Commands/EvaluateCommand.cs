using System.CommandLine;
using System.Globalization;
using Edge.Runtime.Inference;
using Host.Tools.Evaluation;
using Host.Tools.Metrics;
using Host.Tools.Progress;
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
        var components = new Option<bool>("--components") { Description = "SegmentMeIfYouCan component metrics (sIoU, PPV, F1) per row", DefaultValueFactory = _ => true };
        var componentThreshold = new Option<string>("--component-threshold")
        {
            Description = "Component score threshold (predicted: score > it): one number for every method, or Method=value,... (default: the set's pixel-level best-F1 threshold)",
        };
        var minSegment = new Option<int?>("--min-segment-px") { Description = "Remove predicted components smaller than this (default: 50 on obstacle sets, else 500)" };
        var minObject = new Option<int?>("--min-object-px") { Description = "Ignore label components smaller than this (default: 10 on obstacle sets, else 100)" };
        var command = new Command("evaluate", "Anomaly evaluation with the paper's protocol (exact AuPRC / FPR95 / AUROC) and SegmentMeIfYouCan component metrics")
        {
            model, data, datasets, methods, temperatures, fpr95, output, overlays, voidIndex, providers, components, componentThreshold, minSegment, minObject,
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
                Components = parse.GetValue(components),
                ComponentThresholds = ParseComponentThresholds(parse.GetValue(componentThreshold)),
                MinSegmentPixels = parse.GetValue(minSegment),
                MinObjectPixels = parse.GetValue(minObject),
            };
            var report = WorkProgress.Run(() => new AnomalyEvaluator(_loggerFactory).Run(settings, cancellationToken));
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

    /// <summary>"0.5" (every method) or "VoidClass=0.5,MaxLogit=-4.2"; empty: none given.</summary>
    public static IReadOnlyDictionary<string, float> ParseComponentThresholds(string? value)
    {
        var result = new Dictionary<string, float>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in SplitList(value))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var (key, number) = eq < 0 ? (AnomalyEvaluationSettings.AnyMethod, item) : (item[..eq].Trim(), item[(eq + 1)..].Trim());
            if (!float.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !float.IsFinite(threshold))
            {
                throw new ArgumentException($"--component-threshold: expected a number or Method=number, got '{item}'.");
            }

            if (!result.TryAdd(key, threshold))
            {
                throw new ArgumentException($"--component-threshold: '{key}' given twice in '{value}'.");
            }
        }

        return result;
    }

    private static double ParseTemperature(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t) && t > 0
            ? t
            : throw new ArgumentException($"--temperature: expected numbers > 0 separated by commas, got '{value}'.");

    private static void PrintTable(AnomalyEvaluationReport report)
    {
        var table = new Table().Title($"{report.Model} ({report.Fpr95Convention} FPR95)");
        foreach (var column in new[] { "Dataset", "Score", "AuPRC", "FPR95", "AUROC", "sIoU", "PPV", "mean F1", "images", "skipped" })
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
                Format(r.Component?.SIoUGt),
                Format(r.Component?.Ppv),
                Format(r.Component?.F1Mean),
                r.Images.ToString(CultureInfo.InvariantCulture),
                r.Skipped.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string Format(double? v) => v is null ? "n/a" : v.Value.ToString("F2", CultureInfo.InvariantCulture);
}
