using Host.Tools.Optimization;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Which tensors of a float graph the static quantizer quantizes: the activation inputs and outputs of every op
/// ONNX Runtime runs in int8 once wrapped in DQ/Q (Conv, ConvTranspose, MatMul, Gemm, Add, Concat, single-output
/// MaxPool, AveragePool, GlobalAveragePool, Resize; DepthToSpace and LeakyRelu when their input is quantized), the weights of the convolutions among them, and — when the target
/// folds Relus — the Relus after a quantized op, whose input then carries the Relu output's range.
/// </summary>
public sealed class QdqCandidates
{
    private static readonly HashSet<string> QuantizedOps = new(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "MatMul", "Gemm", "Add", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool", "Resize",
    };

    private static readonly HashSet<string> FollowerOps = new(StringComparer.Ordinal) { "DepthToSpace", "LeakyRelu", "Relu" };

    private QdqCandidates(IReadOnlyList<string> activations, IReadOnlyList<NodeProto> relus, IReadOnlyList<NodeProto> weighted)
    {
        Activations = activations;
        FoldableRelus = relus;
        WeightedNodes = weighted;
    }

    /// <summary>Activation tensors to calibrate and quantize (graph order).</summary>
    public IReadOnlyList<string> Activations { get; }

    /// <summary>Relu nodes whose input is quantized with the Relu output's range and that are then removed.</summary>
    public IReadOnlyList<NodeProto> FoldableRelus { get; }

    /// <summary>Conv / ConvTranspose nodes whose weights are quantized.</summary>
    public IReadOnlyList<NodeProto> WeightedNodes { get; }

    /// <summary>Every tensor that gets a range: the activations plus the outputs of the folded Relus (whose range their
    /// producer's QuantizeLinear takes over).</summary>
    public IReadOnlyList<string> CalibratedTensors =>
        Activations.Concat(FoldableRelus.Select(r => r.Output[0])).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="node"/> is left in float by <paramref name="keepFloat"/> (its name, a name prefix up
    /// to a '.', or — for convolutions — its weight's name or prefix).</summary>
    public static bool IsKept(NodeProto node, IReadOnlyCollection<string> keepFloat)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(keepFloat);
        return keepFloat.Any(k => node.Name == k || node.Name.StartsWith(k + ".", StringComparison.Ordinal)
                                  || (node.OpType is "Conv" or "ConvTranspose" && node.Input.Count > 1
                                      && (node.Input[1] == k || node.Input[1].StartsWith(k + ".", StringComparison.Ordinal))));
    }

    /// <summary>Finds the candidates; <paramref name="keepFloat"/> holds node names (or name prefixes up to a '.')
    /// and tensor names left in float.</summary>
    public static QdqCandidates Find(GraphProto graph, IReadOnlyCollection<string> keepFloat, bool foldRelus)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(keepFloat);
        var index = new GraphIndex(graph);
        var initializers = index.Initializers.Keys.ToHashSet(StringComparer.Ordinal);
        var graphOutputs = index.GraphOutputs;
        var consumers = index.Consumers;
        var producers = index.Producers;

        bool KeptNode(NodeProto n) => IsKept(n, keepFloat);
        bool KeptTensor(string t) => keepFloat.Contains(t);

        var set = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string t)
        {
            if (t.Length > 0 && !initializers.Contains(t) && !KeptTensor(t) && seen.Add(t))
            {
                set.Add(t);
            }
        }

        var weighted = new List<NodeProto>();
        foreach (var n in graph.Node)
        {
            if (FollowerOps.Contains(n.OpType))
            {
                // Quantized only behind a quantized tensor: DepthToSpace then moves uint8 (same range in and out), a Relu
                // folds into its producer (below), LeakyRelu becomes QLinearLeakyRelu; behind a float-kept layer they stay float.
                if (!KeptNode(n) && seen.Contains(n.Input[0]))
                {
                    Add(n.Output[0]);
                }

                continue;
            }

            if (!QuantizedOps.Contains(n.OpType) || KeptNode(n) || (n.OpType == "MaxPool" && n.Output.Count > 1))
            {
                continue;
            }

            var activationInputs = n.OpType switch
            {
                "Conv" or "ConvTranspose" or "Gemm" => n.Input.Take(1),
                "Resize" => n.Input.Take(1),
                _ => n.Input.Where(i => !initializers.Contains(i)),
            };
            var inputs = activationInputs.ToList();
            if (n.OpType is "Add" && inputs.Count != 2)
            {
                continue;
            }

            foreach (var i in inputs)
            {
                Add(i);
            }

            Add(n.Output[0]);
            if (n.OpType is "Conv" or "ConvTranspose" && n.Input.Count > 1 && initializers.Contains(n.Input[1]))
            {
                weighted.Add(n);
            }
        }

        var relus = new List<NodeProto>();
        if (foldRelus)
        {
            foreach (var relu in graph.Node.Where(n => n.OpType == "Relu"))
            {
                var x = relu.Input[0];
                var t = relu.Output[0];
                if (seen.Contains(x) && seen.Contains(t) && producers.TryGetValue(x, out var p) && QuantizedOps.Contains(p.OpType)
                    && consumers[x].Count == 1 && !graphOutputs.Contains(x) && !graphOutputs.Contains(t))
                {
                    relus.Add(relu);
                }
            }

            foreach (var relu in relus)
            {
                set.Remove(relu.Input[0]);
            }
        }

        return new QdqCandidates(set, relus, weighted);
    }
}
