using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.IO;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Host.Tools.Benchmarking;
using Host.Tools.Profiling;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools profile</c>: parameters, FLOPs by operator group, size on disk, ORT CPU latency.</summary>
public sealed class ProfileCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public ProfileCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model (float or QDQ)", Required = true };
        var iterations = new Option<int>("--iterations") { Description = "Timed runs (0: no latency)", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs before timing", DefaultValueFactory = _ => 3 };
        var writeCard = new Option<bool>("--write-card") { Description = "Write the FLOPs (2 x MACs, dense) into the model card's 'flops' field" };
        var json = new Option<string?>("--json") { Description = "Write the profile as JSON" };
        var ops = new Option<bool>("--ops") { Description = "Also time every operator type with ONNX Runtime's profiler (kernel ms per run, optimised graph)" };
        var command = new Command("profile", "Parameters, FLOPs, size and ONNX Runtime CPU latency of a model") { model, iterations, warmup, writeCard, json, ops };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "profile", logger =>
        {
            var path = parse.GetValue(model)!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--model: '{path}' does not exist.", path);
            }

            var profile = OnnxProfiler.Profile(path);
            var n = parse.GetValue(iterations);
            if (n > 0)
            {
                profile = profile with { Latency = ModelTimer.TimeOnnx(path, parse.GetValue(warmup), n, threads: null, logger) };
            }

            if (parse.GetValue(ops))
            {
                profile = profile with { Kernels = OperatorProfiler.Profile(path, Math.Max(n, 1), parse.GetValue(warmup), Environment.ProcessorCount) };
            }

            Console.WriteLine(Format(profile));
            if (parse.GetValue(writeCard))
            {
                var cardPath = ModelCard.PathFor(path);
                var card = ModelCard.Load(cardPath);
                (card with { Flops = profile.ConvFlops }).Save(cardPath);
                logger.LogInformation("wrote flops {Flops} into {Card}", profile.ConvFlops, cardPath);
            }

            if (parse.GetValue(json) is { } jsonPath)
            {
                AtomicFile.Write(jsonPath, s => JsonSerializer.Serialize(s, profile, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }));
        return command;
    }

    public static string Format(ModelProfile p)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"model: {p.Model}",
            string.Create(c, $"parameters: {p.Parameters:N0} ({p.Parameters / 1e6:F3} M)"),
            string.Create(c, $"size on disk: {p.SizeBytes / 1e6:F2} MB"),
            string.Create(c, $"MACs (conv/convT/matmul, dense): {p.Macs / 1e9:F3} G; non-zero weights only: {p.NonZeroMacs / 1e9:F3} G"),
            string.Create(c, $"GFLOPs (2 x MACs): {p.ConvFlops / 1e9:F3}; all ops: {p.TotalFlops / 1e9:F3}"),
        };
        lines.AddRange(p.Flops.Select(kv => string.Create(c, $"  {kv.Key}: {kv.Value / 1e9:F3} GFLOPs")));
        if (p.Latency is { } l)
        {
            lines.Add(string.Create(c, $"ORT CPU latency: p50 {l.P50Ms:F1} ms, p95 {l.P95Ms:F1} ms, mean {l.MeanMs:F1} ms ({l.Count} runs)"));
        }

        if (p.Kernels is { } k)
        {
            lines.Add("ORT kernel time by operator (ms per run, optimised graph):");
            lines.AddRange(k.Operators.Select(o => string.Create(c, $"  {o.OpType,-22} {o.Nodes,4} nodes {o.MillisecondsPerRun,9:F2} ms {o.Share,7:P1}")));
            lines.Add("slowest nodes:");
            lines.AddRange(k.SlowestNodes.Select(n => string.Create(c, $"  {n.MillisecondsPerRun,9:F2} ms  {n.OpType,-18} {n.Node}")));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
