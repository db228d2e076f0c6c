using System.Security.Cryptography;
using Edge.Runtime.IO;
using Edge.Runtime.Models;
using Google.Protobuf;
using Host.Tools.Export;
using Onnx;

namespace Host.Tools.Building;

/// <summary>
/// The runtime-ceiling network: one 1x1 convolution from the RGB input to 20 Cityscapes+void logits, so inference
/// costs almost nothing and a pipeline run measures what the runtime around the network sustains (the Jetson case,
/// where TensorRT runs the real network in a few milliseconds). Deterministic weights chosen so the output looks like
/// a segmentation of a dash-cam frame: road (class 0) wins on mid-grey pixels, the void channel on bright ones (lane
/// markings, sky), so the VoidClass scorer raises hazards on the road and MQTT events flow.
/// </summary>
public static class CeilingModel
{
    public const string Architecture = "ceiling-1x1-conv";

    public const int Classes = 20;

    /// <summary>Writes <paramref name="onnxPath"/> ([1,3,H,W] 'image' → [1,20,H,W] 'logits') and its model card.</summary>
    public static ModelCard Build(string onnxPath, int height, int width)
    {
        CheckArguments(onnxPath, height, width);

        var (weights, bias) = Weights();
        var g = new OnnxGraphBuilder { InputSize = (height, width) };
        g.AddInput("image", [1, 3, height, width]);
        var w = g.Initializer("conv.weight", weights, [Classes, 3, 1, 1]);
        var b = g.Initializer("conv.bias", bias, [Classes]);
        var logits = g.Conv("image", w, b, [1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
        g.Rename(logits, "logits");
        g.AddOutput("logits", [1, Classes, height, width]);
        var model = g.ToModel("edgeseg-tools", new Dictionary<string, string> { ["architecture"] = Architecture });
        var bytes = model.ToByteArray();
        AtomicFile.Write(onnxPath, stream => stream.Write(bytes));
        return SaveCard(onnxPath, bytes, height, width, weights.Length + bias.Length, heads: null);
    }

    /// <summary>
    /// Writes the ceiling network with trivial heads ([1,3,H,W] 'image' → 'score' float32 and 'road' uint8 [1,1,H,W]) and
    /// its card (heads VoidClass, road class 0). On the vehicle TensorRT computes the real network and its heads on the
    /// GPU; on this CPU the VoidClass heads of <see cref="Build"/>'s 20 logits (a softmax over 20 planes) would cost more
    /// than the network, so this graph computes only the two planes that decide: <c>d</c> = void logit − road logit (one
    /// 1x1 convolution, written as Mul + ReduceSum over the channels), score = sigmoid(<c>d</c>) and road = <c>d</c> ≤ 0 — the same road mask as the plain ceiling
    /// model's argmax (road is class 0 and wins ties; the other classes never win) and the same score ≥ 0.5 decision
    /// up to the 18 small classes' share of the softmax.
    /// </summary>
    public static ModelCard BuildWithTrivialHeads(string onnxPath, int height, int width)
    {
        CheckArguments(onnxPath, height, width);

        var (weights, bias) = Weights();
        var v = CityscapesClasses.VoidIndex;
        float[] diffWeights = [weights[(v * 3) + 0] - weights[0], weights[(v * 3) + 1] - weights[1], weights[(v * 3) + 2] - weights[2]];
        float[] diffBias = [bias[v] - bias[0]];
        var g = new OnnxGraphBuilder { InputSize = (height, width) };
        g.AddInput("image", [1, 3, height, width]);
        // The 1x1 convolution written out as a per-pixel dot product over the 3 channels: ONNX Runtime's CPU Conv for one
        // output channel goes through its NCHWc layout (output padded to a 16-channel block, reorders in and out) and costs
        // ~8 ms at 512x1024 on this machine; Mul + ReduceSum computes the same d in ~2 ms (docs/benchmarks.md).
        var product = g.Node("Mul", ["image", g.Initializer("diff.weight", diffWeights, [1, 3, 1, 1])]);
        var dot = g.Node("ReduceSum", [product, g.Int64Initializer("channels", [1])], OnnxGraphBuilder.Int("keepdims", 1));
        var d = g.Node("Add", [dot, g.Initializer("diff.bias", diffBias, [1])]);
        var score = g.Sigmoid(d);
        var road = g.Node("Cast", [g.Node("LessOrEqual", [d, g.ScalarFloat("zero", 0f)])], OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Uint8));
        g.Rename(score, ModelHeads.ScoreOutput);
        g.Rename(road, ModelHeads.RoadOutput);
        g.AddOutput(ModelHeads.ScoreOutput, [1, 1, height, width]);
        g.AddOutput(ModelHeads.RoadOutput, [1, 1, height, width]);
        var model = g.ToModel("edgeseg-tools", new Dictionary<string, string> { ["architecture"] = Architecture + "-trivial-heads" });
        model.Graph.Output.Single(o => o.Name == ModelHeads.RoadOutput).Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Uint8;
        var bytes = model.ToByteArray();
        AtomicFile.Write(onnxPath, stream => stream.Write(bytes));
        return SaveCard(onnxPath, bytes, height, width, diffWeights.Length + diffBias.Length, new ModelHeads { Scorer = ScoreKind.VoidClass, RoadClass = 0 });
    }

    private static void CheckArguments(string onnxPath, int height, int width)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"Ceiling model input: expected height and width >= 1, got {height}x{width}.");
        }
    }

    private static ModelCard SaveCard(string onnxPath, byte[] onnx, int height, int width, int parameters, ModelHeads? heads)
    {
        var card = new ModelCard
        {
            Name = Path.GetFileNameWithoutExtension(onnxPath),
            Architecture = Architecture,
            Classes = CityscapesClasses.WithVoid,
            VoidIndex = CityscapesClasses.VoidIndex,
            Input = new ModelInputSpec { Height = height, Width = width },
            DefaultScore = ScoreKind.VoidClass,
            Heads = heads,
            Source = new ModelSource { Checkpoint = $"generated: edgeseg-tools build-ceiling-model{(heads is null ? "" : " --heads")} (no checkpoint)", Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)) },
            Parameters = parameters,
            Created = DateTimeOffset.UtcNow,
        };
        card.Save(ModelCard.PathFor(onnxPath));
        return card;
    }

    /// <summary>Weights [20,3] (RGB per class) and biases [20].</summary>
    public static (float[] Weights, float[] Bias) Weights()
    {
        var weights = new float[Classes * 3];
        var bias = new float[Classes];
        // Road: constant 1. Void: 10 · mean(RGB) − 7 (beats road above a mean of 0.8). Other classes: small, distinct.
        bias[0] = 1f;
        weights[(CityscapesClasses.VoidIndex * 3) + 0] = 10f / 3;
        weights[(CityscapesClasses.VoidIndex * 3) + 1] = 10f / 3;
        weights[(CityscapesClasses.VoidIndex * 3) + 2] = 10f / 3;
        bias[CityscapesClasses.VoidIndex] = -7f;
        for (var c = 1; c < CityscapesClasses.VoidIndex; c++)
        {
            weights[(c * 3) + (c % 3)] = 0.05f * c;
            bias[c] = -3f;
        }

        return (weights, bias);
    }
}
