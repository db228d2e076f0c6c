using System.CommandLine;
using System.Globalization;
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
        var image = new Option<string?>("--image") { Description = "Input image (default: RoadAnomaly21/images/0.png from the shared data)" };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 20, Description = "Timed runs per model and engine" };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 3, Description = "Untimed runs first" };
        var threads = new Option<int?>("--threads") { Description = "Threads for both engines (default: all cores)" };
        var markdown = new Option<string>("--out") { DefaultValueFactory = _ => "docs/benchmarks.md", Description = "Markdown report" };
        var json = new Option<string?>("--json") { Description = "Also write the rows as JSON" };
        var command = new Command("bench-models", "Time every built model on ONNX Runtime CPU and TorchSharp eager")
        {
            manifest, models, weights, image, iterations, warmup, threads, markdown, json,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "bench-models", logger =>
        {
            var m = ModelManifest.Load(parse.GetValue(manifest)!);
            var weightsDir = parse.GetValue(weights) ?? ToolPaths.DefaultWeights();
            var imagePath = parse.GetValue(image) ?? Path.Combine(SharedData.Resolve(), "data/Validation_Dataset/RoadAnomaly21/images/0.png");
            var (n, w, t) = (parse.GetValue(iterations), parse.GetValue(warmup), parse.GetValue(threads));
            var loadBefore = HostLoad.LoadAverage();
            var rows = new List<BenchmarkRow>();
            foreach (var entry in m.Models)
            {
                using var network = NetworkImporter.Load(entry.Architecture, Path.Combine(weightsDir, entry.Checkpoint), entry.NumClasses);
                var torchStats = ModelTimer.TimeTorch(network, imagePath, m.Input.Height, m.Input.Width, w, n, t);
                foreach (var name in entry.TensorrtVariant ? new[] { entry.Name, entry.Name + "-trt" } : [entry.Name])
                {
                    var onnx = Path.Combine(parse.GetValue(models)!, name + ".onnx");
                    if (!File.Exists(onnx))
                    {
                        throw new FileNotFoundException($"Model '{onnx}' is missing: run `make models` first.", onnx);
                    }

                    var ortStats = ModelTimer.TimeOnnx(onnx, imagePath, w, n, t, logger);
                    var card = ModelCard.Load(ModelCard.PathFor(onnx));
                    rows.Add(new BenchmarkRow(name, card.Architecture, card.Parameters, new FileInfo(onnx).Length, ortStats,
                        name == entry.Name ? torchStats : null));
                    logger.LogInformation("{Model}: ORT p50 {Ort:F1} ms, TorchSharp p50 {Torch:F1} ms", name, ortStats.P50Ms, torchStats.P50Ms);
                }
            }

            var md = Render(rows, m, imagePath, n, w, t, $"{loadBefore} at start, {HostLoad.LoadAverage()} at end");
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

    private static string Render(IReadOnlyList<BenchmarkRow> rows, ModelManifest manifest, string image, int iterations, int warmup, int? threads, string load)
    {
        var machine = MachineInfo.Current();
        var flags = CpuFlags();
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine("# Benchmarks");
        sb.AppendLine();
        sb.AppendLine("Generated by `make bench` (`edgeseg-tools bench-models`); numbers are this machine's, not a Jetson's.");
        sb.AppendLine();
        sb.AppendLine(c, $"- Machine: {machine.Cpu ?? "unknown CPU"}, {machine.Cores} cores, {machine.Os}, {machine.Runtime}");
        sb.AppendLine(c, $"- CPU flags of note: {flags}");
        sb.AppendLine(c, $"- Input: 1x3x{manifest.Input.Height}x{manifest.Input.Width} float32, one real image ({Path.GetFileName(image)}) with the paper's preprocessing (not timed)");
        sb.AppendLine(c, $"- Conditions: {warmup} warm-up runs, then {iterations} timed runs per model and engine; threads: {(threads?.ToString(c) ?? "all cores")}; latency percentiles by linear interpolation; fps = 1000 / mean");
        sb.AppendLine(c, $"- Machine load (1-minute load average, /proc/loadavg): {load} — other work on the machine inflates every number; compare rows of one run, not runs");
        sb.AppendLine("- ONNX Runtime 1.31.1 CPU execution provider, graph optimisation ALL; TorchSharp 0.107 (libtorch 2.10 CPU) eager, eval mode, no_grad — same weights");
        sb.AppendLine();
        sb.AppendLine("| model | architecture | params | ONNX size | ORT p50 ms | ORT p95 ms | ORT fps | TorchSharp p50 ms | TorchSharp p95 ms | ORT speed-up |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var torch = r.Torch is null ? "| (same network) | |" : $"| {r.Torch.P50Ms:F1} | {r.Torch.P95Ms:F1} |";
            var speedup = r.Torch is null ? "" : $"{r.Torch.P50Ms / r.Onnx.P50Ms:F2}x";
            sb.AppendLine(c, $"| {r.Model} | {r.Architecture} | {r.Parameters:N0} | {r.OnnxBytes / 1024.0 / 1024.0:F2} MB | {r.Onnx.P50Ms:F1} | {r.Onnx.P95Ms:F1} | {r.Onnx.Fps:F2} {torch} {speedup} |");
        }

        sb.AppendLine();
        sb.AppendLine("`-trt` rows are the TensorRT-safe ENet graphs (no MaxPool indices / MaxUnpool); on CPU they show what the");
        sb.AppendLine("replacement costs. Jetson numbers come from `edgeseg bench --provider tensorrt` on the device (docs/runtime-preprocessing.md).");
        return sb.ToString();
    }

    private static string CpuFlags()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            if (line is null)
            {
                return "unknown";
            }

            var wanted = new[] { "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_tile" };
            var present = line.Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return string.Join(", ", wanted.Where(present.Contains));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
