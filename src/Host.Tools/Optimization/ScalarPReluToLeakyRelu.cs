using Host.Tools.Export;
using Host.Tools.Quantization;
using Onnx;

namespace Host.Tools.Optimization;

/// <summary>
/// PRelu whose slope is a single value (ENet's bottlenecks share one slope) → LeakyRelu(alpha = slope). Exact. ORT fuses
/// LeakyRelu into the preceding convolution (float) and runs it as QLinearLeakyRelu (int8); PRelu has neither.
/// </summary>
public sealed class ScalarPReluToLeakyRelu : IGraphRewrite
{
    public string Name => "prelu-to-leakyrelu";

    public int Apply(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var index = new GraphIndex(graph);
        var count = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "PRelu" || !index.Initializers.TryGetValue(node.Input[1], out var slope) || OnnxTensors.ElementCount(slope) != 1)
            {
                continue;
            }

            var alpha = OnnxTensors.ReadFloats(slope)[0];
            var leaky = new NodeProto { OpType = "LeakyRelu", Name = node.Name, Domain = node.Domain };
            leaky.Input.Add(node.Input[0]);
            leaky.Output.Add(node.Output[0]);
            leaky.Attribute.Add(OnnxGraphBuilder.Float("alpha", alpha));
            graph.Node[i] = leaky;
            count++;
        }

        GraphCleanup.RemoveUnusedInitializers(graph);
        return count;
    }
}
