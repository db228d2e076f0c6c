using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Host.Tools.Import;
using Host.Tools.Pruning;
using Host.Tools.Training;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools prune</c>: structured pruning that removes channels physically (L2-norm ranking, or only the
/// exactly-zero filters of the paper's zeroed-filter checkpoints), then ONNX export + model card of the smaller network.
/// Parses and delegates: <see cref="PruneSource"/>, <see cref="StructuredPruner"/>, <see cref="PrunedFinetuner"/>,
/// <see cref="PrunedModelExporter"/> / <see cref="TrainedModelExporter"/>, <see cref="PrunedModelCardWriter"/> and, with
/// <c>--pth</c>, <see cref="PyTorchStateDictWriter"/>.
/// </summary>
public sealed class PruneCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public PruneCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model name from the manifest (architecture + checkpoint)" };
        var manifest = new Option<string>("--manifest") { Description = "Model manifest for --model", DefaultValueFactory = _ => "models/manifest.json" };
        var weights = new Option<string?>("--weights") { Description = "Checkpoint folder for --model (default: $EDGESEG_WEIGHTS, else ../shared/weights)" };
        var architecture = new Option<string?>("--architecture") { Description = "enet-seed, erfnet, erfnet-bnfolded or midenet (instead of --model)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "PyTorch checkpoint (.pth) (with --architecture)" };
        var ratio = new Option<double>("--ratio") { Description = "Fraction of every prunable channel group removed by L2 norm (0 <= r < 1)", DefaultValueFactory = _ => 0.3 };
        var multiple = new Option<int>("--channel-multiple") { Description = "Round kept channel counts up to a multiple of this (8 or 16 suit vector kernels)", DefaultValueFactory = _ => 1 };
        var zeroFilters = new Option<bool>("--zero-filters") { Description = "Remove only exactly-zero filters (paper's zeroed-filter checkpoints); output unchanged" };
        var finetune = new Option<string?>("--finetune") { Description = "Fine-tune the pruned network on this Cityscapes-layout (or --format camvid) dataset before export" };
        var format = new Option<string>("--format") { Description = "Fine-tuning data layout: cityscapes (20-class models: unlabelled pixels = void 19) or camvid", DefaultValueFactory = _ => "cityscapes" };
        var epochs = new Option<int>("--epochs") { Description = "Fine-tuning epochs (poly schedule over them)", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "Fine-tuning batch size", DefaultValueFactory = _ => 2 };
        var lr = new Option<double>("--lr") { Description = "Fine-tuning Adam learning rate", DefaultValueFactory = _ => 1e-4 };
        var trainInput = new Option<string?>("--finetune-input") { Description = "Fine-tuning crop HEIGHTxWIDTH (default: --height x --width)" };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Fine-tuning wall-clock budget" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "At most N fine-tuning steps per epoch" };
        var runs = new Option<string?>("--runs") { Description = "Fine-tuning run folder (checkpoints, training.csv, curves); default runs/<out name>" };
        var output = new Option<string>("--out") { Description = "Output .onnx path (model card beside it)", Required = true };
        var pth = new Option<string?>("--pth") { Description = "Also write the pruned (fine-tuned) weights as a PyTorch state dict (.pth; pruned shapes)" };
        var height = new Option<int>("--height") { Description = "Input height", DefaultValueFactory = _ => 512 };
        var width = new Option<int>("--width") { Description = "Input width", DefaultValueFactory = _ => 1024 };
        var score = new Option<ScoreKind?>("--default-score") { Description = "Default anomaly score in the model card (default: the manifest's, else MaxLogit)" };
        var command = new Command("prune", "Structured pruning: remove filters physically and export the smaller network to ONNX")
        {
            model, manifest, weights, architecture, checkpoint, ratio, multiple, zeroFilters, finetune, format, epochs, batch, lr, trainInput, maxMinutes,
            maxSteps, runs, output, pth, height, width, score,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "prune", logger =>
        {
            var source = PruneSource.Resolve(parse.GetValue(model), parse.GetValue(manifest)!, parse.GetValue(weights),
                parse.GetValue(architecture), parse.GetValue(checkpoint));
            var entry = source.Entry;
            IFilterSelector selector = parse.GetValue(zeroFilters)
                ? new ZeroFilterSelector()
                : new L2NormFilterSelector(new PruningSettings { Ratio = parse.GetValue(ratio), ChannelMultiple = parse.GetValue(multiple) });
            var h = parse.GetValue(height);
            var w = parse.GetValue(width);
            var outPath = parse.GetValue(output)!;
            using var network = NetworkImporter.Load(entry.Architecture, source.Checkpoint, entry.NumClasses);
            var result = new StructuredPruner(logger).Prune(network, selector);
            using var pruned = result.Network;
            PruningSummary.Log(logger, network, result, h, w);

            var name = Path.GetFileNameWithoutExtension(outPath);
            var defaultScore = parse.GetValue(score) ?? entry.DefaultScore;
            if (parse.GetValue(finetune) is { } data)
            {
                var (trainH, trainW) = parse.GetValue(trainInput) is { } size ? TrainingSettings.ParseSize(size) : (h, w);
                var settings = new TrainingSettings
                {
                    OutputDirectory = parse.GetValue(runs) ?? Path.Combine("runs", name),
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(lr),
                    InputHeight = trainH,
                    InputWidth = trainW,
                    MaxMinutes = parse.GetValue(maxMinutes),
                    MaxStepsPerEpoch = parse.GetValue(maxSteps),
                    InputNormalization = entry.InputNormalization,
                };
                var tuned = new PrunedFinetuner(logger).Finetune(pruned, parse.GetValue(format)!, data, settings);
                TrainedModelExporter.Export(pruned, tuned.Result.BestWeights, tuned.Classes, defaultScore, outPath, h, w, logger, entry.InputNormalization,
                    parse.GetValue(pth));
                logger.LogInformation("pruned and fine-tuned: best epoch {Epoch}, val mIoU {Score:F4}; wrote {Path}", tuned.Result.BestEpoch, tuned.Result.BestScore, outPath);
                return ExitCodes.Success;
            }

            var pruning = parse.GetValue(zeroFilters) ? "zero-filters" : $"l2 ratio {parse.GetValue(ratio)}";
            var nodes = PrunedModelExporter.Export(pruned, name, pruning, h, w, entry.InputNormalization, outPath);
            var card = PrunedModelCardWriter.Write(pruned, name, defaultScore, source.Checkpoint, h, w, outPath);
            logger.LogInformation("wrote {Path} ({Nodes} nodes, {Parameters} parameters)", outPath, nodes, card.Parameters);
            if (parse.GetValue(pth) is { } pthPath)
            {
                PyTorchStateDictWriter.Write(pruned, pthPath);
                logger.LogInformation("wrote the PyTorch state dict {Pth}", pthPath);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
