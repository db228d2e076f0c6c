using Onnx;

namespace Host.Tools.Optimization;

/// <summary>
/// DepthToSpace → Relu / LeakyRelu becomes Relu / LeakyRelu → DepthToSpace (an element-wise function commutes with a
/// permutation), so the activation sits right after the convolution: ORT fuses it into the float Conv, and the int8
/// quantizer folds a Relu into the convolution's QuantizeLinear.
/// </summary>
public sealed class ActivationBeforeDepthToSpace : IGraphRewrite
{
    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal) { "Relu", "LeakyRelu" };

    public string Name => "activation-before-depthtospace";

    public int Apply(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var count = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var d2s = graph.Node[i];
            if (d2s.OpType != "DepthToSpace")
            {
                continue;
            }

            var index = new GraphIndex(graph);
            if (index.SoleConsumer(d2s.Input[0]) is null || index.SoleConsumer(d2s.Output[0]) is not { } act || !Elementwise.Contains(act.OpType))
            {
                continue;
            }

            var j = graph.Node.IndexOf(act);
            var input = d2s.Input[0];
            var middle = d2s.Output[0];
            var output = act.Output[0];
            act.Input[0] = input;
            act.Output[0] = middle;
            d2s.Input[0] = middle;
            d2s.Output[0] = output;
            graph.Node[i] = act;
            graph.Node[j] = d2s;
            count++;
        }

        return count;
    }
}
