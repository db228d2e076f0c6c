using Google.Protobuf;
using Host.Tools.Quantization;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Host.Tools.Profiling;

/// <summary>
/// Counts parameters and FLOPs of an ONNX model (float or QDQ). Tensor shapes come from ONNX Runtime's shape inference:
/// the counted tensors are exposed as graph outputs of a copy and read from the session's output metadata (no run).
/// </summary>
public static class OnnxProfiler
{
    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Relu", "PRelu", "LeakyRelu", "Sigmoid", "Max", "Min", "Where", "Clip", "Tanh",
    };

    public static ModelProfile Profile(string modelPath)
    {
        var model = StaticQuantizer.LoadModel(modelPath);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var shapes = Shapes(model, graph.Node.Where(Counted).SelectMany(n => n.OpType == "ConvTranspose" ? [n.Input[0], n.Output[0]] : new[] { n.Output[0] }));

        var flops = Enum.GetValues<FlopCategory>().ToDictionary(c => c, _ => 0L);
        long macs = 0, nonZeroMacs = 0;
        foreach (var node in graph.Node.Where(Counted))
        {
            var outShape = shapes[node.Output[0]];
            var outElements = outShape.Aggregate(1L, (a, b) => a * b);
            switch (node.OpType)
            {
                case "Conv":
                {
                    var (w, wShape) = Weight(node.Input[1], initializers, producers);
                    var perOutput = wShape.Skip(1).Aggregate(1L, (a, b) => a * b);
                    var spatial = outElements / outShape[1];
                    macs += outElements * perOutput;
                    nonZeroMacs += w.nonZero * spatial;
                    flops[FlopCategory.Conv] += 2 * outElements * perOutput;
                    break;
                }

                case "ConvTranspose":
                {
                    var (w, wShape) = Weight(node.Input[1], initializers, producers);
                    var inShape = shapes[node.Input[0]];
                    var inSpatial = inShape.Skip(2).Aggregate(1L, (a, b) => a * b);
                    var m = inSpatial * wShape.Aggregate(1L, (a, b) => a * b);
                    macs += m;
                    nonZeroMacs += w.nonZero * inSpatial;
                    flops[FlopCategory.ConvTranspose] += 2 * m;
                    break;
                }

                case "MatMul" or "Gemm":
                {
                    var (w, wShape) = Weight(node.Input[1], initializers, producers);
                    var m = outElements * wShape[0];
                    macs += m;
                    nonZeroMacs += w.nonZero * (outElements / wShape[^1]);
                    flops[FlopCategory.MatMul] += 2 * m;
                    break;
                }

                case "BatchNormalization":
                    flops[FlopCategory.BatchNorm] += 2 * outElements;
                    break;
                default:
                    flops[FlopCategory.Elementwise] += outElements;
                    break;
            }
        }

        return new ModelProfile
        {
            Model = modelPath,
            Parameters = Parameters(graph),
            SizeBytes = new FileInfo(modelPath).Length,
            Macs = macs,
            NonZeroMacs = nonZeroMacs,
            Flops = flops,
        };
    }

    /// <summary>Weights and biases: float / int8 / int32 initializers, not Q/DQ scales or zero points, not int64 shapes.</summary>
    public static long Parameters(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var qdqParams = graph.Node.Where(n => n.OpType is "QuantizeLinear" or "DequantizeLinear").SelectMany(n => n.Input.Skip(1)).ToHashSet(StringComparer.Ordinal);
        return graph.Initializer
            .Where(t => !qdqParams.Contains(t.Name) && t.DataType is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Int8
                or (int)TensorProto.Types.DataType.Int32 or (int)TensorProto.Types.DataType.Uint8)
            .Where(t => t.Dims.Count > 0)
            .Sum(OnnxTensors.ElementCount);
    }

    private static bool Counted(NodeProto n) =>
        n.OpType is "Conv" or "ConvTranspose" or "MatMul" or "Gemm" or "BatchNormalization" || Elementwise.Contains(n.OpType);

    private static ((long nonZero, long total), long[] Shape) Weight(string name, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers)
    {
        if (!initializers.TryGetValue(name, out var t) && producers.TryGetValue(name, out var dq) && dq.OpType == "DequantizeLinear")
        {
            t = initializers[dq.Input[0]];
        }

        if (t is null)
        {
            throw new InvalidDataException($"Weight '{name}' is neither an initializer nor a DequantizeLinear of one.");
        }

        long nonZero = t.DataType == (int)TensorProto.Types.DataType.Float
            ? OnnxTensors.ReadFloats(t).Count(v => v != 0f)
            : t.RawData.Span.ToArray().Count(b => b != 0);
        return ((nonZero, OnnxTensors.ElementCount(t)), t.Dims.ToArray());
    }

    private static Dictionary<string, long[]> Shapes(ModelProto model, IEnumerable<string> tensors)
    {
        var copy = model.Clone();
        var wanted = tensors.Distinct(StringComparer.Ordinal).ToList();
        var outputs = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = copy.Graph.Input.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var t in wanted.Where(t => !outputs.Contains(t) && !inputs.ContainsKey(t)))
        {
            copy.Graph.Output.Add(new ValueInfoProto { Name = t, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(copy.ToByteArray(), options);
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var t in wanted)
        {
            var dims = inputs.TryGetValue(t, out var vi)
                ? vi.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray()
                : session.OutputMetadata[t].Dimensions.Select(d => (long)d).ToArray();
            if (dims.Any(d => d <= 0))
            {
                throw new InvalidDataException($"Tensor '{t}': shape [{string.Join(", ", dims)}] is not static; FLOPs need fixed input sizes.");
            }

            result[t] = dims;
        }

        return result;
    }

}
