using System.CommandLine;
using System.Text;
using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Configuration;
using Edge.Runtime.IO;
using Edge.Runtime.Models;
using Host.Tools.Benchmarking;
using Host.Tools.Building;
using Host.Tools.Import;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools bench-models</c>: every model built by <c>make models</c> on ONNX Runtime CPU beside the same network
/// run eagerly in TorchSharp (same weights), written as Markdown (docs/benchmarks.md) and JSON.
/// </summary>
public sealed class BenchModelsCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public BenchModelsCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var manifest = new Option<string>("--manifest") { DefaultValueFactory = _ => "models/manifest.json", Description = "Model manifest" };
        var models = new Option<string>("--models") { DefaultValueFactory = _ => "models", Description = "Folder with the built models" };
        var weights = new Option<string?>("--weights") { Description = "Checkpoint folder (default: $EDGESEG_WEIGHTS, else ../shared/weights)" };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 20, Description = "Timed runs per model and engine" };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 3, Description = "Untimed runs first" };
        var threads = new Option<int?>("--threads") { Description = "Threads for both engines (default: all cores)" };
        var markdown = new Option<string>("--out") { DefaultValueFactory = _ => "docs/benchmarks.md", Description = "Markdown report" };
        var json = new Option<string?>("--json") { Description = "Also write the rows as JSON" };
        var command = new Command("bench-models", "Time every built model on ONNX Runtime CPU and TorchSharp eager")
        {
            manifest, models, weights, iterations, warmup, threads, markdown, json,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "bench-models", logger =>
        {
            var m = ModelManifest.Load(parse.GetValue(manifest)!);
            var weightsDir = parse.GetValue(weights) ?? ToolPaths.DefaultWeights();
            var (n, w, t) = (parse.GetValue(iterations), parse.GetValue(warmup), parse.GetValue(threads));
            var loadBefore = HostLoad.LoadAverage();
            var rows = new List<BenchmarkRow>();
            foreach (var entry in m.Models)
            {
                using var network = NetworkImporter.Load(entry.Architecture, Path.Combine(weightsDir, entry.Checkpoint), entry.NumClasses);
                var torchStats = ModelTimer.TimeTorch(network, m.Input.Height, m.Input.Width, w, n, t);
                foreach (var name in entry.TensorrtVariant ? new[] { entry.Name, entry.Name + "-trt" } : [entry.Name])
                {
                    var onnx = Path.Combine(parse.GetValue(models)!, name + ".onnx");
                    if (!File.Exists(onnx))
                    {
                        throw new FileNotFoundException($"Model '{onnx}' is missing: run `make models` first.", onnx);
                    }

                    var ortStats = ModelTimer.TimeOnnx(onnx, w, n, t, logger);
                    var card = ModelCard.Load(ModelCard.PathFor(onnx));
                    rows.Add(new BenchmarkRow(name, card.Architecture, card.Parameters, new FileInfo(onnx).Length, ortStats,
                        name == entry.Name ? torchStats : null));
                    logger.LogInformation("{Model}: ORT p50 {Ort:F1} ms, TorchSharp p50 {Torch:F1} ms", name, ortStats.P50Ms, torchStats.P50Ms);
                }
            }

            var md = BenchModelsMarkdown.Render(rows, m.Input.Height, m.Input.Width, n, w, t, $"{loadBefore} at start, {HostLoad.LoadAverage()} at end");
            AtomicFile.Write(parse.GetValue(markdown)!, s => s.Write(Encoding.UTF8.GetBytes(md)));
            if (parse.GetValue(json) is { } jsonPath)
            {
                AtomicFile.Write(jsonPath, s => JsonSerializer.Serialize(s, rows, BenchReport.JsonOptions));
            }

            logger.LogInformation("wrote {Path}", parse.GetValue(markdown));
            return 0;
        }));
        return command;
    }
}
