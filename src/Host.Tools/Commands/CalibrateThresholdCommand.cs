using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Edge.Runtime.Scoring;
using Host.Tools.Calibration;
using Host.Tools.Evaluation;
using Host.Tools.Metrics;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools calibrate-threshold</c>: picks the anomaly threshold of a score on a labelled anomaly set for a
/// target TPR (or a maximum FPR) and writes it, with the achieved rates, into the model card's <c>threshold</c>.
/// </summary>
public sealed class CalibrateThresholdCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public CalibrateThresholdCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "Exported .onnx with its model card", Required = true };
        var data = new Option<string>("--data") { Description = "Anomaly set (images/ + labels_masks/: 1 anomaly, 0 normal; RoadAnomaly also 2)", Required = true };
        var method = new Option<string>("--method") { Description = $"Score: {string.Join(", ", AnomalyScorerFactory.Names)}", DefaultValueFactory = _ => "MaxLogit" };
        var targetTpr = new Option<double?>("--target-tpr") { Description = "Highest threshold reaching this TPR (default 0.95)" };
        var maxFpr = new Option<double?>("--max-fpr") { Description = "Lowest threshold keeping FPR at or below this" };
        var temperature = new Option<double?>("--temperature") { Description = "Scorer temperature (default: the card's, else 1)" };
        var objective = new Option<string?>("--objective") { Description = "Choose a whole operating point over the hazard path: component-f1 or recall-at-fewest-false-alerts (written into operating_point)" };
        var minRecall = new Option<double>("--min-recall") { Description = "recall-at-fewest-false-alerts: fraction of objects to find on every set", DefaultValueFactory = _ => 0.5 };
        var config = new Option<string?>("--config") { Description = "--objective: edgeseg.json whose hazards / tracking / model sections are the base" };
        var chooseOn = new Option<string?>("--choose-on") { Description = "--objective: comma-separated sets of --data to choose on (default: all of them)" };
        var checkOn = new Option<string?>("--check-on") { Description = "--objective: comma-separated sets of --data the choice is only reported on (leave one set out)" };
        var scorers = new Option<string?>("--scorers") { Description = "--objective: comma-separated scorers to try (default: --method, and the card's default score)" };
        var variants = new Option<string?>("--variants") { Description = "--objective: JSON file, an array of hazards objects laid over the config's (default: as configured, road enclosure, perspective minimum size, both)" };
        var report = new Option<string?>("--report") { Description = "--objective: write every candidate and the choice to this JSON file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "--objective: do not write the model card" };
        var save = new Option<string?>("--save") { Description = "--objective: also write the operating point alone to this file (e.g. models/operating-points/NAME.json, applied by make models)" };
        var command = new Command("calibrate-threshold", "Pick the runtime's anomaly threshold on a labelled anomaly set (or, with --objective, a whole operating point over the hazard path); write it into the model card")
        {
            model, data, method, targetTpr, maxFpr, temperature, objective, minRecall, config, chooseOn, checkOn, scorers, variants, report, dryRun, save,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandRunner.Run(_loggerFactory, "calibrate-threshold", logger =>
        {
            if (parse.GetValue(objective) is { } objectiveName)
            {
                return OperatingPointCommand.Run(new OperatingPointCommand.Arguments
                {
                    Model = parse.GetValue(model)!,
                    Data = parse.GetValue(data)!,
                    Objective = objectiveName,
                    MinRecall = parse.GetValue(minRecall),
                    Config = parse.GetValue(config),
                    ChooseOn = EvaluateCommand.SplitList(parse.GetValue(chooseOn)),
                    CheckOn = EvaluateCommand.SplitList(parse.GetValue(checkOn)),
                    Scorers = parse.GetValue(scorers) is { } list ? EvaluateCommand.SplitList(list) : null,
                    Method = parse.GetResult(method) is { Implicit: false } ? parse.GetValue(method) : null,
                    Temperature = parse.GetValue(temperature),
                    Variants = parse.GetValue(variants),
                    Report = parse.GetValue(report),
                    DryRun = parse.GetValue(dryRun),
                    Save = parse.GetValue(save),
                }, _loggerFactory, logger, cancellationToken);
            }

            if (parse.GetValue(targetTpr) is not null && parse.GetValue(maxFpr) is not null)
            {
                throw new ArgumentException("--target-tpr and --max-fpr: expected one of them, got both.");
            }

            IThresholdTarget target = parse.GetValue(maxFpr) is { } f ? new MaxFprTarget(f) : new TprTarget(parse.GetValue(targetTpr) ?? 0.95);
            var modelPath = parse.GetValue(model)!;
            var cardPath = ModelCard.PathFor(modelPath);
            var card = ModelCard.Load(cardPath);
            var t = parse.GetValue(temperature) ?? card.Temperature ?? 1.0;
            var scorer = AnomalyScorerFactory.Create(parse.GetValue(method)!, new ScorerOptions
            {
                Temperature = AnomalyScorerFactory.UsesTemperature(parse.GetValue(method)!) ? t : 1.0,
                VoidIndex = card.VoidIndex ?? CityscapesClasses.VoidIndex,
            });
            var dataset = AnomalyDataset.Open(Path.GetFullPath(parse.GetValue(data)!));
            using var source = new OnnxLogitSource(modelPath, _loggerFactory.CreateLogger<OnnxLogitSource>());
            var distribution = WorkProgress.Run(() => Score(source, dataset, scorer, logger));
            var choice = target.Choose(distribution);
            var threshold = new CalibratedThreshold
            {
                Value = choice.Value,
                Method = scorer.Name,
                Target = target.Description,
                Tpr = choice.Tpr,
                Fpr = choice.Fpr,
                Dataset = dataset.Name,
                Temperature = scorer.Temperature,
            };
            (card with { Threshold = threshold.ToJson() }).Save(cardPath);
            logger.LogInformation("{Method} threshold {Value:G6} ({Target}): TPR {Tpr:F4}, FPR {Fpr:F4} on {Dataset}; written into {Card}",
                threshold.Method, threshold.Value, threshold.Target, threshold.Tpr, threshold.Fpr, threshold.Dataset, cardPath);
            return ExitCodes.Success;
        })));
        return command;
    }

    private static ScoreDistribution Score(OnnxLogitSource source, AnomalyDataset dataset, IAnomalyScorer scorer, ILogger logger)
    {
        var preprocessor = new PaperPreprocessor(source.Height, source.Width);
        var chw = new float[preprocessor.TensorLength];
        var scores = new float[source.Height * source.Width];
        var histogram = new ScoreHistogram();
        using var progress = WorkProgress.Track(logger, dataset.Name, dataset.Samples.Count);
        for (var i = 0; i < dataset.Samples.Count; i++)
        {
            var sample = dataset.Samples[i];
            preprocessor.Process(ImageLoader.Load(sample.ImagePath), chw);
            var labels = LabelImage.Load(sample.MaskPath).ResizeNearest(source.Width, source.Height, dataset.LabelMap);
            scorer.Score(source.Run(chw), source.Classes, scores);
            histogram.Add(scores, labels, sample.ImagePath);
            progress.Advance(Path.GetFileName(sample.ImagePath));
        }

        return histogram.ToDistribution();
    }
}
