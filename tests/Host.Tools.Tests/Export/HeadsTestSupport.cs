using Edge.Runtime.Models;
using Edge.Runtime.Scoring;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Host.Tools.Tests.Export;

/// <summary>Runs heads models on ONNX Runtime and computes what they should give on the CPU, independently of the graph.</summary>
internal static class HeadsTestSupport
{
    /// <summary>Relative tolerance of an in-graph score against the CPU scorer.</summary>
    public const double Relative = 1e-5;

    /// <summary>Absolute floor for scores near 0 (MSP = 1 − 1/S and entropies of confident pixels lose their relative
    /// precision to cancellation; Energy = −T(m + log S) near 0 keeps the absolute error of m ≈ 30).</summary>
    public const double Floor = 1e-5;

    public static IEnumerable<(ScoreKind Kind, double Temperature)> AllScorers(double temperature) =>
    [
        (ScoreKind.Msp, 1.0), (ScoreKind.MaxLogit, 1.0), (ScoreKind.MaxEntropy, 1.0), (ScoreKind.VoidClass, 1.0), (ScoreKind.Energy, 1.0), (ScoreKind.Sml, 1.0),
        (ScoreKind.Msp, temperature), (ScoreKind.MaxEntropy, temperature), (ScoreKind.VoidClass, temperature), (ScoreKind.Energy, temperature),
    ];

    public static (float[] Score, byte[] Road, byte[]? Labels) RunHeads(ModelProto model, string inputName, float[] input, long[] shape, bool labels)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        string[] names = labels ? [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] : [ModelHeads.ScoreOutput, ModelHeads.RoadOutput];
        using var outputs = session.Run(runOptions, [inputName], [inputValue], names);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<byte>().ToArray(),
            labels ? outputs[2].GetTensorDataAsSpan<byte>().ToArray() : null);
    }

    /// <summary>Per-class SML statistics for 20 classes (means around 2..8, stds 0.5..2.4): made up, not calibrated.</summary>
    public static SmlStatistics Sml { get; } = new()
    {
        ClassMeans = [.. Enumerable.Range(0, 20).Select(c => 2 + (0.3 * c) + (0.01 * c * c))],
        ClassStds = [.. Enumerable.Range(0, 20).Select(c => 0.5 + (0.1 * c))],
        Frames = 1,
        Source = ["test"],
    };

    public static float[] CpuScore(ScoreKind kind, double temperature, float[] logits, int channels)
    {
        var scores = new float[logits.Length / channels];
        var scorer = AnomalyScorerFactory.Create(kind, new ScorerOptions { Temperature = temperature, VoidIndex = CityscapesClasses.VoidIndex, Sml = Sml });
        scorer.Score(logits, channels, scores);
        (scorer as IDisposable)?.Dispose();
        return scores;
    }

    /// <summary>torch.argmax over channels: the first maximum wins.</summary>
    public static byte[] FirstArgmax(float[] logits, int channels)
    {
        var pixels = logits.Length / channels;
        var labels = new byte[pixels];
        for (var i = 0; i < pixels; i++)
        {
            var best = logits[i];
            for (var c = 1; c < channels; c++)
            {
                var v = logits[(c * pixels) + i];
                if (v > best)
                {
                    best = v;
                    labels[i] = (byte)c;
                }
            }
        }

        return labels;
    }

    /// <summary>Asserts |graph − cpu| ≤ Relative·|cpu| + Floor everywhere; the message gives the worst pixel.</summary>
    public static void AssertScoresEqual(float[] cpu, float[] graph, string what)
    {
        Assert.Equal(cpu.Length, graph.Length);
        var worst = -1;
        var worstExcess = double.NegativeInfinity;
        var maxAbs = 0.0;
        for (var i = 0; i < cpu.Length; i++)
        {
            var diff = Math.Abs((double)graph[i] - cpu[i]);
            maxAbs = Math.Max(maxAbs, diff);
            var excess = diff - ((Relative * Math.Abs(cpu[i])) + Floor);
            if (excess > worstExcess || double.IsNaN(diff))
            {
                worstExcess = double.IsNaN(diff) ? double.PositiveInfinity : excess;
                worst = i;
            }
        }

        Assert.True(worstExcess <= 0, $"{what}: pixel {worst} graph {graph[worst]:R} vs CPU {cpu[worst]:R} (max |Δ| {maxAbs:E2})");
    }

    public static void AssertRoadEqual(byte[] expectedLabels, byte[] road, int roadClass, string what)
    {
        Assert.Equal(expectedLabels.Length, road.Length);
        var wrong = Enumerable.Range(0, road.Length).Where(i => road[i] != (expectedLabels[i] == roadClass ? 1 : 0)).ToList();
        Assert.True(wrong.Count == 0, $"{what}: road mask differs from argmax == {roadClass} at {wrong.Count} pixels (first {(wrong.Count > 0 ? wrong[0] : -1)})");
    }
}
