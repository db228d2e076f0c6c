using System.CommandLine;
using Edge.Runtime.Metrics;
using Edge.Runtime.Models;
using Edge.Runtime.Preprocessing;
using Edge.Runtime.Scoring;
using Host.Tools.Calibration;
using Host.Tools.Evaluation;
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
        var command = new Command("calibrate-threshold", "Pick the runtime's anomaly threshold on a labelled anomaly set; write it into the model card")
        {
            model, data, method, targetTpr, maxFpr, temperature,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "calibrate-threshold", logger =>
        {
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
            var distribution = Score(source, dataset, scorer, logger);
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
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static ScoreDistribution Score(OnnxLogitSource source, AnomalyDataset dataset, IAnomalyScorer scorer, ILogger logger)
    {
        var preprocessor = new PaperPreprocessor(source.Height, source.Width);
        var chw = new float[preprocessor.TensorLength];
        var scores = new float[source.Height * source.Width];
        var histogram = new ScoreHistogram();
        for (var i = 0; i < dataset.Samples.Count; i++)
        {
            var sample = dataset.Samples[i];
            preprocessor.Process(ImageLoader.Load(sample.ImagePath), chw);
            var labels = LabelImage.Load(sample.MaskPath).ResizeNearest(source.Width, source.Height, dataset.LabelMap);
            scorer.Score(source.Run(chw), source.Classes, scores);
            histogram.Add(scores, labels, sample.ImagePath);
            logger.LogInformation("[{Index}/{Count}] {Image}", i + 1, dataset.Samples.Count, Path.GetFileName(sample.ImagePath));
        }

        return histogram.ToDistribution();
    }
}
