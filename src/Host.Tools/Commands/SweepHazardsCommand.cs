using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Host.Tools.HazardEvaluation;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools sweep-hazards</c>: several hazard-path configurations (runtime settings files) over the same sets and
/// clips with one inference per frame (<see cref="HazardSweep"/>); a Markdown table per set and clip.
/// </summary>
public sealed class SweepHazardsCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public SweepHazardsCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model with its model card", Required = true };
        var configs = new Option<string[]>("--config") { Description = "edgeseg.json per variant (the variant is named after the file); repeatable", Required = true, AllowMultipleArgumentsPerToken = true };
        var data = new Option<string[]>("--data") { Description = "Labelled sets (or a folder of sets) and video files", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Markdown report file (default: stdout only)" };
        var maxFrames = new Option<int?>("--max-frames") { Description = "At most this many frames per video" };
        var command = new Command("sweep-hazards", "Compare hazard-path configurations on the same frames (one inference per frame)")
        {
            model, configs, data, output, maxFrames,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandRunner.Run(_loggerFactory, "sweep-hazards", logger =>
        {
            var variants = parse.GetValue(configs)!
                .Select(c => (Path.GetFileNameWithoutExtension(c), RuntimeSettings.Load(c)))
                .ToList();
            var report = WorkProgress.Run(() => new HazardSweep(_loggerFactory).Run(parse.GetValue(model)!, variants, parse.GetValue(data)!, parse.GetValue(maxFrames), cancellationToken,
                row => logger.LogInformation("{Row}", row)));
            Console.Out.Write(report);
            if (parse.GetValue(output) is { } file)
            {
                Edge.Runtime.IO.AtomicFile.Write(file, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(report)));
                logger.LogInformation("wrote {File}", file);
            }

            return ExitCodes.Success;
        })));
        return command;
    }
}
