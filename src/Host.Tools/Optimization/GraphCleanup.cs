using Onnx;

namespace Host.Tools.Optimization;

/// <summary>Housekeeping after a rewrite.</summary>
internal static class GraphCleanup
{
    /// <summary>Drops initializers (and their graph inputs, if listed) that no node reads any more.</summary>
    public static void RemoveUnusedInitializers(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var o in graph.Output)
        {
            used.Add(o.Name);
        }

        var dead = graph.Initializer.Where(t => !used.Contains(t.Name)).ToList();
        foreach (var t in dead)
        {
            graph.Initializer.Remove(t);
            var input = graph.Input.FirstOrDefault(i => i.Name == t.Name);
            if (input is not null)
            {
                graph.Input.Remove(input);
            }
        }
    }
}
