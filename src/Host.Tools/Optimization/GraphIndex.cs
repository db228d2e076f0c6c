using Onnx;

namespace Host.Tools.Optimization;

/// <summary>Producers, consumers and initializers of a graph, as they are when the index is built.</summary>
internal sealed class GraphIndex
{
    public GraphIndex(GraphProto graph)
    {
        Initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        GraphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            foreach (var i in n.Input.Where(i => i.Length > 0))
            {
                if (!Consumers.TryGetValue(i, out var list))
                {
                    Consumers[i] = list = [];
                }

                list.Add(n);
            }

            foreach (var o in n.Output)
            {
                Producers[o] = n;
            }
        }
    }

    public Dictionary<string, TensorProto> Initializers { get; }

    public HashSet<string> GraphOutputs { get; }

    public Dictionary<string, List<NodeProto>> Consumers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, NodeProto> Producers { get; } = new(StringComparer.Ordinal);

    /// <summary>The only consumer of <paramref name="tensor"/>, or null (none, several, or a graph output).</summary>
    public NodeProto? SoleConsumer(string tensor) =>
        !GraphOutputs.Contains(tensor) && Consumers.TryGetValue(tensor, out var list) && list.Count == 1 ? list[0] : null;

    /// <summary>Input <paramref name="position"/> of <paramref name="node"/>, or null when it is absent (not listed or empty).</summary>
    public static string? OptionalInput(NodeProto node, int position) =>
        node.Input.Count > position && node.Input[position].Length > 0 ? node.Input[position] : null;

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long[]? Ints(NodeProto node, string name) => Attribute(node, name)?.Ints.ToArray();
}
