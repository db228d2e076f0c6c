using System.CommandLine;
using Host.Tools.Building;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools build-models</c>: builds every model of the manifest into a folder (what <c>make models</c> runs).</summary>
public sealed class BuildModelsCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public BuildModelsCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "Model manifest", DefaultValueFactory = _ => "models/manifest.json" };
        var weights = new Option<string?>("--weights") { Description = "Checkpoint folder (default: $EDGESEG_WEIGHTS, else ../shared/weights)" };
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "models" };
        var only = new Option<string[]>("--only") { Description = "Build only these names", AllowMultipleArgumentsPerToken = true };
        var command = new Command("build-models", "Import the paper's checkpoints and export them as ONNX models with model cards")
        {
            manifest, weights, output, only,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "build-models", logger =>
        {
            var m = ModelManifest.Load(parse.GetValue(manifest)!);
            var outDir = parse.GetValue(output)!;
            var written = new ModelBuilder(logger).BuildAll(m, parse.GetValue(weights) ?? ToolPaths.DefaultWeights(), outDir,
                parse.GetValue(only));
            File.WriteAllText(Path.Combine(outDir, ".complete"), string.Join(Environment.NewLine, written) + Environment.NewLine);
            logger.LogInformation("built {Count} ONNX models into {Folder}", written.Count, outDir);
            return 0;
        }));
        return command;
    }
}
