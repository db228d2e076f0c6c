using System.CommandLine;
using Edge.Runtime.Commands;
using Host.Tools.HazardEvaluation;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools evaluate-hazards</c>: the runtime's own hazard path over labelled sets and clips; what a driver
/// gets (objects found, true / false alerts per frame, false hazards per minute, ms per step) as results.json,
/// report.md and overlays of the worst frames.
/// </summary>
public sealed class EvaluateHazardsCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public EvaluateHazardsCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model with its model card", Required = true };
        var config = new Option<string?>("--config") { Description = "edgeseg.json of the run (default: the runtime's defaults; the card's operating point applies unless overridden)" };
        var data = new Option<string[]>("--data")
        {
            Description = "A labelled set (images/ + labels_masks/), a folder of sets, or a video file; repeatable",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var sets = new Option<string?>("--sets") { Description = "Comma-separated set names to keep (default: all)" };
        var output = new Option<string>("--out") { Description = "Report folder (results.json, report.md, overlays/)", Required = true };
        var overlays = new Option<int>("--overlays") { Description = "Overlays of the worst frames per set", DefaultValueFactory = _ => 5 };
        var maxFrames = new Option<int?>("--max-frames") { Description = "At most this many frames per video (default: all)" };
        var command = new Command("evaluate-hazards", "Run the runtime's hazard path over labelled sets / clips and report the alerts a driver gets")
        {
            model, config, data, sets, output, overlays, maxFrames,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandRunner.Run(_loggerFactory, "evaluate-hazards", logger =>
        {
            if (parse.GetValue(overlays) < 0)
            {
                throw new ArgumentException($"--overlays: expected >= 0, got {parse.GetValue(overlays)}.");
            }

            if (parse.GetValue(maxFrames) is < 1)
            {
                throw new ArgumentException($"--max-frames: expected >= 1, got {parse.GetValue(maxFrames)}.");
            }

            var outDir = parse.GetValue(output)!;
            var settings = new HazardEvaluationSettings
            {
                ModelPath = parse.GetValue(model)!,
                ConfigPath = parse.GetValue(config),
                Data = parse.GetValue(data)!,
                Sets = EvaluateCommand.SplitList(parse.GetValue(sets)),
                Overlays = parse.GetValue(overlays),
                OverlayDirectory = Path.Combine(outDir, "overlays"),
                MaxVideoFrames = parse.GetValue(maxFrames),
            };
            var report = WorkProgress.Run(() => new HazardEvaluator(_loggerFactory).Run(settings, cancellationToken));
            HazardReportWriter.Write(report, outDir);
            Console.Out.Write(HazardReportWriter.Markdown(report));
            logger.LogInformation("wrote {Dir}/results.json, report.md", outDir);
            return ExitCodes.Success;
        })));
        return command;
    }
}
