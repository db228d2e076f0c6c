using System.CommandLine;
using Edge.Runtime.Models;
using Host.Tools.Quantization;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools import-int8</c>: a PyTorch FX int8 ERFNet checkpoint as a QDQ ONNX model + model card.</summary>
public sealed class ImportInt8Command
{
    private readonly ILoggerFactory _loggerFactory;

    public ImportInt8Command(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "PyTorch FX int8 checkpoint (.pth) of ERFNet or MiDE-Net", Required = true };
        var output = new Option<string>("--out") { Description = "Output QDQ .onnx", Required = true };
        var height = new Option<int>("--height") { Description = "Input height", DefaultValueFactory = _ => 512 };
        var width = new Option<int>("--width") { Description = "Input width", DefaultValueFactory = _ => 1024 };
        var score = new Option<ScoreKind>("--default-score") { Description = "Default anomaly score in the model card", DefaultValueFactory = _ => ScoreKind.VoidClass };
        var command = new Command("import-int8", "Import a PyTorch FX int8 checkpoint (ERFNet or MiDE-Net, as the paper stored them) as QDQ ONNX (parameters as stored)")
        {
            checkpoint, output, height, width, score,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "import-int8", logger =>
        {
            new FxCheckpointImporter(logger).Write(parse.GetValue(checkpoint)!, parse.GetValue(output)!, parse.GetValue(height), parse.GetValue(width),
                parse.GetValue(score));
            return 0;
        }));
        return command;
    }
}
