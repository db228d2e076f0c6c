using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Microsoft.ML.OnnxRuntime;

namespace Host.Tools.Profiling;

/// <summary>
/// Where ONNX Runtime spends a run: enables ORT's own profiler (CPU provider, full graph optimisation, the runtime's
/// thread count), runs the model, and sums the <c>*_kernel_time</c> events of the trace by operator type.
/// </summary>
public static class OperatorProfiler
{
    public static KernelProfile Profile(string modelPath, int iterations, int warmup, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var prefix = Path.Combine(Path.GetTempPath(), $"edgeseg-ort-profile-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string? trace = null;
        try
        {
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                IntraOpNumThreads = threads,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                EnableProfiling = true,
                ProfileOutputPathPrefix = prefix,
            })
            {
                using var session = new InferenceSession(modelPath, options);
                var name = session.InputNames[0];
                var dims = session.InputMetadata[name].Dimensions;
                if (dims.Length != 4 || dims.Any(d => d <= 0))
                {
                    throw new InvalidDataException($"{modelPath}: input '{name}' must have a fixed [1,3,H,W] shape, got [{string.Join(",", dims)}].");
                }

                var shape = dims.Select(d => (long)d).ToArray();
                var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
                InferenceTimer.FillSeededInput(data);

                using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
                using var runOptions = new RunOptions();
                for (var i = 0; i < warmup; i++)
                {
                    using var warm = session.Run(runOptions, [name], [input], session.OutputNames);
                }

                // The profiler records from the first run; Aggregate keeps only the timed runs' events.
                for (var i = 0; i < iterations; i++)
                {
                    using var outputs = session.Run(runOptions, [name], [input], session.OutputNames);
                }

                trace = session.EndProfiling();
            }

            return Aggregate(trace, warmup + iterations, iterations);
        }
        finally
        {
            if (trace is not null && File.Exists(trace))
            {
                File.Delete(trace);
            }
        }
    }

    /// <summary>Sums kernel times by op type (and lists the 10 slowest nodes) over the last <paramref name="keepRuns"/> of
    /// <paramref name="totalRuns"/> runs.</summary>
    public static KernelProfile Aggregate(string tracePath, int totalRuns, int keepRuns)
    {
        using var stream = File.OpenRead(tracePath);
        using var doc = JsonDocument.Parse(stream);
        var kernels = new List<(string Node, string Op, double Us)>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.TryGetProperty("cat", out var cat) && cat.GetString() == "Node"
                && e.GetProperty("name").GetString() is { } n && n.EndsWith("_kernel_time", StringComparison.Ordinal)
                && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op))
            {
                kernels.Add((n, op.GetString() ?? "?", e.GetProperty("dur").GetDouble()));
            }
        }

        if (kernels.Count == 0 || kernels.Count % totalRuns != 0)
        {
            throw new InvalidDataException($"{tracePath}: expected the kernel events of {totalRuns} runs, found {kernels.Count} events.");
        }

        var perRun = kernels.Count / totalRuns;
        var kept = kernels.Skip(perRun * (totalRuns - keepRuns)).ToList();
        var total = kept.Sum(k => k.Us);
        var operators = kept.GroupBy(k => k.Op, StringComparer.Ordinal)
            .Select(g => new OperatorTime
            {
                OpType = g.Key,
                Nodes = g.Select(k => k.Node).Distinct(StringComparer.Ordinal).Count(),
                MillisecondsPerRun = g.Sum(k => k.Us) / 1000.0 / keepRuns,
                Share = total > 0 ? g.Sum(k => k.Us) / total : 0,
            })
            .OrderByDescending(t => t.MillisecondsPerRun)
            .ToList();
        var nodes = kept.GroupBy(k => (k.Node, k.Op))
            .Select(g => new NodeTime { Node = g.Key.Node[..^"_kernel_time".Length], OpType = g.Key.Op, MillisecondsPerRun = g.Sum(k => k.Us) / 1000.0 / keepRuns })
            .OrderByDescending(n => n.MillisecondsPerRun)
            .Take(10)
            .ToList();
        return new KernelProfile { Operators = operators, SlowestNodes = nodes };
    }
}
