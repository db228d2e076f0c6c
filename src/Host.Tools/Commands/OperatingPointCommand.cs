using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Commands;
using Edge.Runtime.IO;
using Edge.Runtime.Models;
using Edge.Runtime.Scoring;
using Host.Tools.Calibration;
using Host.Tools.Evaluation;
using Host.Tools.HazardEvaluation;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>calibrate-threshold --objective ...</c>: chooses scorer, threshold and post-processing over the hazard path
/// (<see cref="HazardCalibrator"/>) and writes <c>operating_point</c> into the model card.
/// </summary>
public static class OperatingPointCommand
{
    public static int Run(Arguments arguments, ILoggerFactory loggerFactory, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(logger);
        IHazardObjective objective = arguments.Objective.Trim().ToLowerInvariant() switch
        {
            "component-f1" => new ComponentF1Objective(),
            "recall-at-fewest-false-alerts" => new RecallAtFewestFalseAlertsObjective(arguments.MinRecall),
            _ => throw new ArgumentException($"--objective: expected component-f1 or recall-at-fewest-false-alerts, got '{arguments.Objective}'."),
        };
        var cardPath = ModelCard.PathFor(arguments.Model);
        var card = ModelCard.Load(cardPath);
        var scorers = arguments.Scorers
            ?? (arguments.Method is { } m ? [m] : [card.DefaultScore.ToString(), .. card.DefaultScore == ScoreKind.MaxLogit ? Array.Empty<string>() : ["MaxLogit"]]);
        var data = Path.GetFullPath(arguments.Data);
        var chooseOn = arguments.ChooseOn.Count > 0
            ? arguments.ChooseOn
            : [.. AnomalyDataset.Discover(data).Select(d => d.Name).Where(n => !arguments.CheckOn.Contains(n, StringComparer.OrdinalIgnoreCase))];
        var result = WorkProgress.Run(() => new HazardCalibrator(loggerFactory).Run(new HazardCalibrationSettings
        {
            ModelPath = arguments.Model,
            ConfigPath = arguments.Config,
            DataPath = data,
            ChooseOn = chooseOn,
            CheckOn = arguments.CheckOn,
            Scorers = [.. scorers.Select(AnomalyScorerFactory.CanonicalName)],
            Temperature = arguments.Temperature,
            Variants = arguments.Variants is null ? HazardCalibrationSettings.DefaultVariants() : ReadVariants(arguments.Variants),
            Objective = objective,
        }, cancellationToken));

        var point = result.OperatingPoint;
        logger.LogInformation("operating point ({Objective}, chosen on {Sets}): {Scorer} (T = {Temperature}) >= {Threshold:G6}, hazards {Hazards}",
            point.Objective, string.Join(", ", point.ChosenOn), point.Scorer, point.Temperature, point.Threshold, point.Hazards?.ToJsonString());
        foreach (var f in result.ChosenFigures.Concat(result.CheckFigures))
        {
            var role = result.ChosenFigures.Contains(f) ? "chosen on" : "checked on";
            logger.LogInformation("  {Role} {Set}: found {Found}/{Objects}, {Alerts} alerts ({True} true, {PerFrame:F2} false per frame), component sIoU {SIoU:F1} PPV {Ppv:F1} mean F1 {F1:F1}",
                role, f.Set, f.Found, f.Objects, f.Alerts, f.TrueAlerts, f.FalseAlertsPerFrame, f.ComponentSIoU, f.ComponentPpv, f.ComponentF1);
        }

        if (arguments.Report is { } reportPath)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(result, HazardReportWriter.JsonOptions);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
            AtomicFile.Write(reportPath, s => s.Write(bytes));
            logger.LogInformation("wrote {Report}", reportPath);
        }

        if (arguments.Save is { } savePath)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(point, ModelCard.JsonOptions);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(savePath))!);
            AtomicFile.Write(savePath, s =>
            {
                s.Write(bytes);
                s.WriteByte((byte)'\n');
            });
            logger.LogInformation("wrote {File}", savePath);
        }

        if (!arguments.DryRun)
        {
            (card with { OperatingPoint = point }).Save(cardPath);
            logger.LogInformation("operating_point written into {Card}", cardPath);
        }

        return ExitCodes.Success;
    }

    private static List<JsonObject> ReadVariants(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--variants: file not found: '{path}'.", path);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"--variants '{path}': invalid JSON: {ex.Message}", ex);
        }

        if (node is not JsonArray array || array.Count == 0 || array.Any(v => v is not JsonObject))
        {
            throw new InvalidDataException($"--variants '{path}': expected a non-empty array of hazards objects, got {node?.GetValueKind().ToString() ?? "null"}.");
        }

        return [.. array.Select(v => (JsonObject)v!.DeepClone())];
    }

    /// <summary>The options of the objective mode.</summary>
    public sealed record Arguments
    {
        public required string Model { get; init; }

        public required string Data { get; init; }

        public required string Objective { get; init; }

        public double MinRecall { get; init; } = 0.5;

        public string? Config { get; init; }

        public IReadOnlyList<string> ChooseOn { get; init; } = [];

        public IReadOnlyList<string> CheckOn { get; init; } = [];

        public IReadOnlyList<string>? Scorers { get; init; }

        public string? Method { get; init; }

        public double? Temperature { get; init; }

        public string? Variants { get; init; }

        public string? Report { get; init; }

        public bool DryRun { get; init; }

        public string? Save { get; init; }
    }
}
