using System.CommandLine;
using Host.Tools.Building;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools build-ceiling-model</c>: the trivial 1x1-convolution network (<see cref="CeilingModel"/>) that
/// <c>make bench-pipeline</c> runs through the whole runtime to measure the runtime ceiling.
/// </summary>
public sealed class BuildCeilingModelCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public BuildCeilingModelCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output .onnx (the model card is written beside it)", Required = true };
        var height = new Option<int>("--height") { Description = "Input height", DefaultValueFactory = _ => 512 };
        var width = new Option<int>("--width") { Description = "Input width", DefaultValueFactory = _ => 1024 };
        var heads = new Option<bool>("--heads") { Description = "Also write <out>-heads.onnx: the card's score and the road mask in the graph (what the runtime runs on the vehicle)" };
        var command = new Command("build-ceiling-model", "Write the runtime-ceiling network: one 1x1 convolution, RGB -> 20 Cityscapes+void logits")
        {
            output, height, width, heads,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "build-ceiling-model", logger =>
        {
            var path = parse.GetValue(output)!;
            var card = CeilingModel.Build(path, parse.GetValue(height), parse.GetValue(width));
            logger.LogInformation("wrote {Path} ({Height}x{Width}, {Parameters} parameters) and its model card", path, card.Input.Height, card.Input.Width, card.Parameters);
            if (parse.GetValue(heads))
            {
                HeadsOptions.Write(logger, path, temperature: null, labels: false);
            }

            return CommandRunner.Ok;
        }));
        return command;
    }
}
