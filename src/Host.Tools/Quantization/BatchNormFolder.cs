using Host.Tools.Optimization;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Folds a BatchNormalization that directly follows a Conv (or an ungrouped ConvTranspose) into its weights and bias
/// — w' = w·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β — so the quantized convolution covers it.
/// </summary>
public static class BatchNormFolder
{
    /// <summary>Folds every foldable pair; returns how many.</summary>
    public static int Fold(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var index = new GraphIndex(graph);
        var initializers = index.Initializers;
        var producers = index.Producers;

        var folded = 0;
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(bn.Input[0], out var conv) || conv.OpType is not ("Conv" or "ConvTranspose")
                || index.SoleConsumer(bn.Input[0]) is null
                || !initializers.ContainsKey(conv.Input[1]) || bn.Input.Skip(1).Any(i => !initializers.ContainsKey(i))
                || (GraphIndex.OptionalInput(conv, 2) is { } convBias && !initializers.ContainsKey(convBias)))
            {
                continue;
            }

            var group = GraphIndex.Attribute(conv, "group")?.I ?? 1;
            if (conv.OpType == "ConvTranspose" && group != 1)
            {
                continue;
            }

            var eps = GraphIndex.Attribute(bn, "epsilon")?.F ?? 1e-5f;
            var gamma = OnnxTensors.ReadFloats(initializers[bn.Input[1]]);
            var beta = OnnxTensors.ReadFloats(initializers[bn.Input[2]]);
            var mean = OnnxTensors.ReadFloats(initializers[bn.Input[3]]);
            var variance = OnnxTensors.ReadFloats(initializers[bn.Input[4]]);
            var wProto = initializers[conv.Input[1]];
            var w = OnnxTensors.ReadFloats(wProto);
            var shape = wProto.Dims.ToArray();
            var axis = conv.OpType == "Conv" ? 0 : 1;
            var channels = (int)shape[axis];
            var biasName = GraphIndex.OptionalInput(conv, 2);
            var bias = biasName is not null ? OnnxTensors.ReadFloats(initializers[biasName]) : new float[channels];
            var factor = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                factor[c] = gamma[c] / MathF.Sqrt(variance[c] + eps);
            }

            var inner = shape.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
            for (var i = 0; i < w.Length; i++)
            {
                w[i] *= factor[(int)(i / inner % channels)];
            }

            var newBias = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                newBias[c] = ((bias[c] - mean[c]) * factor[c]) + beta[c];
            }

            var wName = conv.Input[1] + "_bnfolded";
            var bName = (biasName ?? conv.Input[1] + "_bias") + "_bnfolded";
            graph.Initializer.Add(OnnxTensors.Float(wName, w, shape));
            graph.Initializer.Add(OnnxTensors.Float(bName, newBias, [channels]));
            initializers[wName] = graph.Initializer[^2];
            initializers[bName] = graph.Initializer[^1];
            conv.Input[1] = wName;
            if (conv.Input.Count > 2)
            {
                conv.Input[2] = bName;
            }
            else
            {
                conv.Input.Add(bName);
            }

            conv.Output[0] = bn.Output[0];
            producers[bn.Output[0]] = conv;
            graph.Node.Remove(bn);
            folded++;
        }

        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var kept = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        return folded;
    }
}
