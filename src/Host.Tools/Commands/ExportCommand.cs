using System.CommandLine;
using Edge.Runtime.Models;
using Host.Tools.Building;
using Host.Tools.Export;
using Host.Tools.Models;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools export</c>: one checkpoint (or a randomly initialised network) to ONNX + model card.</summary>
public sealed class ExportCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public ExportCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var architecture = new Option<string>("--architecture")
        {
            Description = $"One of {string.Join(", ", NetworkFactory.Architectures)}", Required = true,
        };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "PyTorch checkpoint (.pth); omit for random initialisation" };
        var output = new Option<string>("--out") { Description = "Output .onnx path", Required = true };
        var height = new Option<int>("--height") { Description = "Input height", DefaultValueFactory = _ => 512 };
        var width = new Option<int>("--width") { Description = "Input width", DefaultValueFactory = _ => 1024 };
        var classes = new Option<int>("--classes") { Description = "Output classes", DefaultValueFactory = _ => 20 };
        var score = new Option<ScoreKind>("--default-score") { Description = "Default anomaly score in the model card", DefaultValueFactory = _ => ScoreKind.MaxLogit };
        var trt = new Option<bool>("--tensorrt") { Description = "Write the TensorRT-safe variant (ENet: no MaxPool indices / MaxUnpool)" };
        var mean = new Option<string?>("--input-mean") { Description = "R,G,B mean the checkpoint's training subtracted from [0,1] input (written into the graph; needs --input-std)" };
        var std = new Option<string?>("--input-std") { Description = "R,G,B std the checkpoint's training divided by (needs --input-mean)" };
        var heads = new Option<bool>("--heads") { Description = "Also write <out>-heads.onnx: the default score (--default-score, --heads-temperature) and the road mask in the graph" };
        var headsTemperature = new Option<double?>("--heads-temperature") { Description = "Temperature of the score head (default 1; recorded in the card)" };
        var headsLabels = new Option<bool>("--heads-labels") { Description = "The heads model also outputs 'labels' (uint8 argmax class)" };
        var command = new Command("export", "Export one network to ONNX with its model card")
        {
            architecture, checkpoint, output, height, width, classes, score, trt, mean, std, heads, headsTemperature, headsLabels,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "export", logger =>
        {
            var outPath = parse.GetValue(output)!;
            var entry = new ManifestEntry
            {
                Name = Path.GetFileNameWithoutExtension(outPath),
                Architecture = parse.GetValue(architecture)!,
                Checkpoint = parse.GetValue(checkpoint) ?? string.Empty,
                DefaultScore = parse.GetValue(score),
                NumClasses = parse.GetValue(classes),
                TensorrtVariant = false,
                InputNormalization = InputNormalization.FromOptions(parse.GetValue(mean), parse.GetValue(std)),
            };
            var builder = new ModelBuilder(logger);
            var written = builder.BuildSingle(entry, parse.GetValue(checkpoint), outPath, parse.GetValue(height), parse.GetValue(width),
                parse.GetValue(trt) ? Models.Enet.UnpoolMode.TensorRt : Models.Enet.UnpoolMode.MaxUnpool);
            if (parse.GetValue(heads))
            {
                HeadsOptions.Write(logger, written, parse.GetValue(headsTemperature), parse.GetValue(headsLabels));
            }
            return 0;
        }));
        return command;
    }
}
