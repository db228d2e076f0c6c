using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Export;

/// <summary>
/// Accumulates the nodes and initializers of one ONNX graph. Every building block of a network emits its own nodes
/// through the op helpers here; names are made unique with the block's scope prefix.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int Opset = 17;

    private readonly GraphProto _graph = new() { Name = "edgeseg" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();
    private int _counter;

    public GraphProto Graph => _graph;

    /// <summary>The network input's height and width (fixed-shape export); blocks that resize read it.</summary>
    public (long Height, long Width) InputSize { get; set; }

    /// <summary>Opens a name scope (e.g. the block's state-dict prefix); dispose to close it.</summary>
    public IDisposable Scope(string name)
    {
        _scopes.Push(_scopes.Count == 0 ? name : $"{_scopes.Peek()}.{name}");
        return new ScopeHandle(_scopes);
    }

    public string UniqueName(string hint)
    {
        var baseName = _scopes.Count == 0 ? hint : $"{_scopes.Peek()}.{hint}";
        var name = baseName;
        while (!_names.Add(name))
        {
            name = $"{baseName}_{++_counter}";
        }

        return name;
    }

    public void AddInput(string name, long[] shape) => _graph.Input.Add(ValueInfo(name, shape));

    public void AddOutput(string name, long[] shape) => _graph.Output.Add(ValueInfo(name, shape));

    /// <summary>Adds a float32 initializer from a TorchSharp tensor (copied, contiguous).</summary>
    public string Initializer(string hint, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var t = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        var data = t.data<float>().ToArray();
        return Initializer(hint, data, t.shape);
    }

    public string Initializer(string hint, float[] data, long[] shape)
    {
        var name = UniqueName(hint);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(shape);
        var bytes = new byte[data.Length * sizeof(float)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        proto.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(proto);
        return name;
    }

    public string Int64Initializer(string hint, long[] data)
    {
        var name = UniqueName(hint);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(data.Length);
        var bytes = new byte[data.Length * sizeof(long)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        proto.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(proto);
        return name;
    }

    public string ScalarFloat(string hint, float value) => Initializer(hint, [value], []);

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeMulti(opType, inputs, 1, attributes)[0];

    public string[] NodeMulti(string opType, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(opType) };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (var i = 0; i < outputs; i++)
        {
            names[i] = UniqueName(outputs == 1 ? opType.ToLowerInvariant() : $"{opType.ToLowerInvariant()}_{i}");
            node.Output.Add(names[i]);
        }

        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames the producer output <paramref name="current"/> to <paramref name="final"/> (graph outputs).</summary>
    public void Rename(string current, string final)
    {
        foreach (var node in _graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == current)
                {
                    node.Output[i] = final;
                }
            }

            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == current)
                {
                    node.Input[i] = final;
                }
            }
        }
    }

    // ---- op helpers -------------------------------------------------------------------------------------------

    public string Conv(string x, string w, string? b, long[] kernel, long[] strides, long[] pads, long[] dilations, long group = 1)
    {
        var inputs = b is null ? new[] { x, w } : new[] { x, w, b };
        return Node("Conv", inputs, Ints("kernel_shape", kernel), Ints("strides", strides),
            Ints("pads", [pads[0], pads[1], pads[0], pads[1]]), Ints("dilations", dilations), Int("group", group));
    }

    public string ConvTranspose(string x, string w, string? b, long[] kernel, long[] strides, long[] pads, long[] outputPadding)
    {
        var inputs = b is null ? new[] { x, w } : new[] { x, w, b };
        return Node("ConvTranspose", inputs, Ints("kernel_shape", kernel), Ints("strides", strides),
            Ints("pads", [pads[0], pads[1], pads[0], pads[1]]), Ints("output_padding", outputPadding));
    }

    public string BatchNorm(string x, string scale, string bias, string mean, string var, double eps) =>
        Node("BatchNormalization", [x, scale, bias, mean, var], Float("epsilon", (float)eps));

    public string Relu(string x) => Node("Relu", [x]);

    public string Sigmoid(string x) => Node("Sigmoid", [x]);

    public string PRelu(string x, string slope) => Node("PRelu", [x, slope]);

    public string Add(string a, string b) => Node("Add", [a, b]);

    public string Mul(string a, string b) => Node("Mul", [a, b]);

    public string Concat(long axis, params string[] xs) => Node("Concat", xs, Int("axis", axis));

    public string MaxPool(string x, long[] kernel, long[] strides, long[] pads, bool ceil = false) =>
        Node("MaxPool", [x], Ints("kernel_shape", kernel), Ints("strides", strides),
            Ints("pads", [pads[0], pads[1], pads[0], pads[1]]), Int("ceil_mode", ceil ? 1 : 0));

    public string GlobalAveragePool(string x) => Node("GlobalAveragePool", [x]);

    /// <summary>Resize to a fixed NCHW size; <paramref name="linear"/> = bilinear half-pixel (PyTorch
    /// align_corners=False), else nearest with PyTorch's floor(dst * in / out) rule.</summary>
    public string Resize(string x, long[] sizes, bool linear)
    {
        var s = Int64Initializer("sizes", sizes);
        return linear
            ? Node("Resize", [x, "", "", s], Str("mode", "linear"), Str("coordinate_transformation_mode", "half_pixel"))
            : Node("Resize", [x, "", "", s], Str("mode", "nearest"), Str("coordinate_transformation_mode", "asymmetric"),
                Str("nearest_mode", "floor"));
    }

    public string Slice(string x, long[] starts, long[] ends, long[] axes, long[] steps) =>
        Node("Slice", [x, Int64Initializer("starts", starts), Int64Initializer("ends", ends),
            Int64Initializer("axes", axes), Int64Initializer("steps", steps)]);

    public string Pad(string x, long[] pads) =>
        Node("Pad", [x, Int64Initializer("pads", pads)], Str("mode", "constant"));

    // ---- attributes -------------------------------------------------------------------------------------------

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public ModelProto ToModel(string producer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producer,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (metadata is not null)
        {
            foreach (var (k, v) in metadata)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
            }
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, long[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private sealed class ScopeHandle(Stack<string> scopes) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                scopes.Pop();
                _disposed = true;
            }
        }
    }
}
