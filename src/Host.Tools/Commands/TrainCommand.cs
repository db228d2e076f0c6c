using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools train</c>: trains a network on Cityscapes or CamVid and exports the best checkpoint to ONNX.</summary>
public sealed class TrainCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public TrainCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "enet, erfnet, bisenet, midenet (or any architecture id)", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "cityscapes or camvid", Required = true };
        var weights = new Option<string>("--class-weights") { Description = "enet (1/ln(1.02+p)), median (median frequency) or none", DefaultValueFactory = _ => "enet" };
        var includeVoid = new Option<bool>("--void") { Description = "Cityscapes: train 20 classes, unlabelled pixels as void class 19" };
        var options = new TrainingOptions();
        var command = new Command("train", "Train a segmentation network (Adam, poly schedule, checkpoints, resume, val mIoU, ONNX export)")
        {
            model, dataset, weights, includeVoid,
        };
        options.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "train", logger =>
        {
            var architecture = TrainingDatasets.Architecture(parse.GetValue(model)!);
            var format = parse.GetValue(dataset)!;
            if (format is not ("cityscapes" or "camvid"))
            {
                throw new ArgumentException($"--dataset: expected cityscapes or camvid, got '{format}'.");
            }

            var (train, validation) = TrainingDatasets.Open(format, parse.GetValue(options.Data)!, parse.GetValue(includeVoid), 0);
            var name = $"{parse.GetValue(model)}-{format}";
            var settings = options.Settings(parse, Path.Combine("runs", name));
            var weighting = ClassWeightingFactory.Create(parse.GetValue(weights)!);
            var classWeights = weighting.Compute(weighting is UniformClassWeighting ? new ClassFrequencies([], []) : ClassFrequencies.Count(train));
            if (classWeights is not null)
            {
                logger.LogInformation("class weights ({Weighting}): {Weights}", weighting.Name, string.Join(", ", classWeights.Select(x => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
            }

            using var network = NetworkFactory.Create(architecture, train.NumClasses);
            using var objective = new CrossEntropyObjective(classWeights);
            logger.LogInformation("{Architecture} ({Parameters} parameters), {Classes} classes, {Train} train / {Val} val images, input {H}x{W}",
                architecture, network.ParameterCount(), train.NumClasses, train.Samples.Count, validation?.Samples.Count ?? 0, settings.InputHeight, settings.InputWidth);
            var result = TrainingRunner.Run(new Trainer(settings, network, objective, train, validation, logger), logger);
            logger.LogInformation("best epoch {Epoch}: {Metric} {Score:F4}", result.BestEpoch, result.BestMetric, result.BestScore);
            TrainedModelExporter.Export(network, result.BestWeights, train.Classes, ScoreKind.MaxLogit, options.ExportPath(parse, settings, name),
                settings.InputHeight, settings.InputWidth, logger, settings.InputNormalization, parse.GetValue(options.Pth));
            return ExitCodes.Success;
        }));
        return command;
    }
}
