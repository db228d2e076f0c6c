using System.CommandLine;
using System.Text;
using Edge.Runtime.Commands;
using Edge.Runtime.IO;
using Host.Tools.Compression;
using Host.Tools.HazardEvaluation;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools alert-quality-report</c>: assembles docs/alert-quality.md from the reports of <c>make alert-quality</c>.</summary>
public sealed class AlertQualityReportCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public AlertQualityReportCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var reports = new Option<string>("--reports") { Description = "Folder of MODEL/pixel and MODEL/CONFIG reports (+ loso/)", Required = true };
        var points = new Option<string>("--operating-points") { Description = "Committed operating points", DefaultValueFactory = _ => "models/operating-points" };
        var notes = new Option<string?>("--notes") { Description = "Markdown placed under the title" };
        var images = new Option<string>("--images") { Description = "Where the pictures go", DefaultValueFactory = _ => "docs/images/alert-quality" };
        var output = new Option<string>("--out") { Description = "The Markdown file", DefaultValueFactory = _ => "docs/alert-quality.md" };
        var plan = new Option<string?>("--plan") { Description = "Compression plan (build/compression-bench.json): each compressed model is listed after its float baseline and compared with it" };
        var command = new Command("alert-quality-report", "Assemble docs/alert-quality.md from evaluate / evaluate-hazards / calibration reports") { reports, points, notes, images, output, plan };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "alert-quality-report", logger =>
        {
            var outPath = parse.GetValue(output)!;
            var imageDir = parse.GetValue(images)!;
            var link = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(outPath))!, Path.GetFullPath(imageDir)).Replace('\\', '/');
            var planPath = parse.GetValue(plan);
            if (planPath is not null && !File.Exists(planPath))
            {
                throw new FileNotFoundException($"--plan: file not found: '{planPath}'.", planPath);
            }

            var compressed = planPath is null ? CompressedModelIndex.Empty : CompressedModelIndex.FromPlan(CompressionBenchPlan.Load(planPath));
            var markdown = AlertQualityDocument.Build(parse.GetValue(reports)!, parse.GetValue(points)!, imageDir, link, parse.GetValue(notes), compressed);
            var bytes = Encoding.UTF8.GetBytes(markdown);
            AtomicFile.Write(outPath, s => s.Write(bytes));
            logger.LogInformation("wrote {File}", outPath);
            return ExitCodes.Success;
        }));
        return command;
    }
}
