using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Host.Tools.Import;
using Host.Tools.Training;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools finetune-void</c>: the paper's void classifier. Every layer but the last is frozen; Cityscapes
/// pixels without a trainId become class 19 (void) with weight 1, the 19 classes keep ENet weights; N epochs (paper: 30).
/// </summary>
public sealed class FinetuneVoidCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public FinetuneVoidCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "Architecture (e.g. enet-seed)", DefaultValueFactory = _ => "enet-seed" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "PyTorch checkpoint (.pth) with 20 output channels", Required = true };
        var options = new TrainingOptions("512x1024");
        var command = new Command("finetune-void", "Fine-tune the last layer with the void class included (void classifier), export ONNX + card (VoidClass)")
        {
            model, checkpoint,
        };
        options.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "finetune-void", logger =>
        {
            var architecture = TrainingDatasets.Architecture(parse.GetValue(model)!);
            var (train, validation) = TrainingDatasets.Open("cityscapes", parse.GetValue(options.Data)!, includeVoid: true, 0);
            var name = $"{architecture}-void-finetuned";
            var settings = options.Settings(parse, Path.Combine("runs", name), lastLayerOnly: true);
            using var network = NetworkImporter.Load(architecture, parse.GetValue(checkpoint)!, train.NumClasses);
            using var objective = new CrossEntropyObjective(new EnetClassWeighting().ComputeWithVoidLast(ClassFrequencies.Count(train)));
            logger.LogInformation("fine-tuning {Architecture} from {Checkpoint}: {Count} images, void = class {Void} (weight 1)",
                architecture, parse.GetValue(checkpoint), train.Samples.Count, CityscapesClasses.VoidIndex);
            var result = TrainingRunner.Run(new Trainer(settings, network, objective, train, validation, logger), logger);
            TrainedModelExporter.Export(network, result.BestWeights, train.Classes, ScoreKind.VoidClass, options.ExportPath(parse, settings, name),
                settings.InputHeight, settings.InputWidth, logger, settings.InputNormalization, parse.GetValue(options.Pth));
            return ExitCodes.Success;
        }));
        return command;
    }
}
