using Host.Tools.Export;
using Host.Tools.Optimization;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Rewrites a float ONNX graph into QDQ form following a <see cref="QuantizationPlan"/>: every planned activation
/// gets QuantizeLinear → DequantizeLinear right after its producer (consumers read the dequantized value), planned
/// weights become int8 initializers behind a DequantizeLinear (per-channel: <c>axis</c>), biases of quantized
/// convolutions become int32 with scale = input scale · weight scale. Node order stays topological.
/// </summary>
public static class QdqRewriter
{
    public static void Apply(ModelProto model, QuantizationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        var graph = model.Graph;
        var activations = new Dictionary<string, QuantParams>(plan.Activations, StringComparer.Ordinal);
        FoldRelus(graph, plan.FoldedRelus, activations);

        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var prefix = new List<NodeProto>();
        var newInitializers = new List<TensorProto>();

        // Weights and biases.
        foreach (var node in graph.Node.Where(n => n.OpType is "Conv" or "ConvTranspose"))
        {
            if (node.Input.Count < 2 || !plan.Weights.TryGetValue(node.Input[1], out var wq))
            {
                continue;
            }

            var wName = node.Input[1];
            var shape = initializers[wName].Dims.ToArray();
            var qName = $"{wName}_quantized";
            newInitializers.Add(OnnxTensors.Int8(qName, wq.Values, shape));
            var wScale = $"{wName}_scale";
            var wZero = $"{wName}_zero_point";
            newInitializers.Add(wq.PerChannel ? OnnxTensors.Float(wScale, wq.Scales, [wq.Scales.Length]) : OnnxTensors.Float(wScale, [wq.Scales[0]], []));
            newInitializers.Add(wq.PerChannel ? OnnxTensors.Int8(wZero, wq.ZeroPoints, [wq.ZeroPoints.Length]) : OnnxTensors.Int8(wZero, [wq.ZeroPoints[0]], []));
            var dqName = $"{wName}_dequantized";
            prefix.Add(Dq(wName, qName, wScale, wZero, dqName, wq.PerChannel ? wq.Axis : null));
            node.Input[1] = dqName;

            if (plan.QuantizeBias && GraphIndex.OptionalInput(node, 2) is { } bName && initializers.TryGetValue(bName, out var bias)
                && activations.TryGetValue(node.Input[0], out var inputParams))
            {
                var b = OnnxTensors.ReadFloats(bias);
                var perChannel = wq.PerChannel;
                var scales = new float[perChannel ? b.Length : 1];
                for (var c = 0; c < scales.Length; c++)
                {
                    scales[c] = inputParams.Scale * wq.Scales[perChannel ? c : 0];
                }

                var q = new int[b.Length];
                for (var c = 0; c < b.Length; c++)
                {
                    q[c] = (int)Math.Clamp(Math.Round(b[c] / (double)scales[perChannel ? c : 0], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
                }

                newInitializers.Add(OnnxTensors.Int32($"{bName}_quantized", q, [b.Length]));
                newInitializers.Add(perChannel ? OnnxTensors.Float($"{bName}_scale", scales, [scales.Length]) : OnnxTensors.Float($"{bName}_scale", scales, []));
                newInitializers.Add(perChannel ? OnnxTensors.Int32($"{bName}_zero_point", new int[b.Length], [b.Length]) : OnnxTensors.Int32($"{bName}_zero_point", [0], []));
                prefix.Add(Dq(bName, $"{bName}_quantized", $"{bName}_scale", $"{bName}_zero_point", $"{bName}_dequantized", perChannel ? 0 : null));
                node.Input[2] = $"{bName}_dequantized";
            }
        }

        // Activations: Q → DQ after the producer (graph inputs: at the start).
        var body = new List<NodeProto>(graph.Node.Count * 2);
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        void AddPair(string tensor, List<NodeProto> into)
        {
            var p = activations[tensor];
            var scale = $"{tensor}_scale";
            var zero = $"{tensor}_zero_point";
            newInitializers.Add(OnnxTensors.Float(scale, [p.Scale], []));
            newInitializers.Add(OnnxTensors.ZeroPoint(zero, p));
            var source = tensor;
            var dequantized = $"{tensor}_dequantized";
            if (graphOutputs.Contains(tensor))
            {
                // Keep the graph output's name on the dequantized value.
                source = $"{tensor}_float";
                dequantized = tensor;
                renames[tensor] = source;
            }
            else
            {
                renames[tensor] = dequantized;
            }

            into.Add(new NodeProto { OpType = "QuantizeLinear", Name = $"{tensor}_QuantizeLinear", Input = { source, scale, zero }, Output = { $"{tensor}_quantized" } });
            into.Add(Dq(tensor, $"{tensor}_quantized", scale, zero, dequantized, null));
        }

        foreach (var input in graph.Input.Where(i => activations.ContainsKey(i.Name)))
        {
            AddPair(input.Name, prefix);
        }

        var pairsAfter = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Node)
        {
            var pairs = new List<NodeProto>();
            foreach (var output in node.Output.Where(activations.ContainsKey))
            {
                AddPair(output, pairs);
            }

            pairsAfter[node] = pairs;
        }

        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                // A consumer of a graph output reads the dequantized value, which keeps the output's name.
                if (renames.TryGetValue(node.Input[i], out var r) && !graphOutputs.Contains(node.Input[i]))
                {
                    node.Input[i] = r;
                }
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                if (graphOutputs.Contains(node.Output[i]) && renames.TryGetValue(node.Output[i], out var r))
                {
                    node.Output[i] = r;
                }
            }

            body.Add(node);
            body.AddRange(pairsAfter[node]);
        }

        graph.Node.Clear();
        graph.Node.AddRange(prefix);
        graph.Node.AddRange(body);

        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var kept = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        graph.Initializer.AddRange(newInitializers);
    }

    private static void FoldRelus(GraphProto graph, IReadOnlySet<string> relus, Dictionary<string, QuantParams> activations)
    {
        foreach (var relu in graph.Node.Where(n => n.OpType == "Relu" && relus.Contains(n.Name)).ToList())
        {
            var x = relu.Input[0];
            var t = relu.Output[0];
            if (!activations.TryGetValue(t, out var p))
            {
                throw new InvalidOperationException($"Relu '{relu.Name}' is folded but its output '{t}' is not quantized.");
            }

            if (p.ZeroPoint != p.QMin)
            {
                throw new InvalidOperationException($"Relu '{relu.Name}': output zero point {p.ZeroPoint} is not {p.QMin}; it cannot be folded.");
            }

            activations.Remove(t);
            activations[x] = p;
            graph.Node.Remove(relu);
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == t)
                    {
                        node.Input[i] = x;
                    }
                }
            }
        }
    }

    private static NodeProto Dq(string tensor, string input, string scale, string zero, string output, int? axis)
    {
        var node = new NodeProto { OpType = "DequantizeLinear", Name = $"{tensor}_DequantizeLinear", Input = { input, scale, zero }, Output = { output } };
        if (axis is not null)
        {
            node.Attribute.Add(OnnxGraphBuilder.Int("axis", axis.Value));
        }

        return node;
    }
}
