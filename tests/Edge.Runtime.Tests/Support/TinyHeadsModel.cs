using Google.Protobuf;
using Onnx;

namespace Edge.Runtime.Tests.Support;

/// <summary>
/// <see cref="TinyConvModel"/> with heads, written by hand (not by Host.Tools' appender): score = −max_c logits
/// (MaxLogit), road = uint8(logits[roadClass] == max), labels = uint8(ArgMax) when asked. Outputs in the heads layout.
/// </summary>
internal static class TinyHeadsModel
{
    public static string WriteTo(TinyConvModel tiny, string directory, bool labels, int roadClass = 0, string fileName = "tiny-heads.onnx")
    {
        var plainPath = tiny.WriteTo(directory, "tiny-plain-for-heads.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(plainPath));
        File.Delete(plainPath);
        var g = model.Graph;
        g.Output.Clear();
        g.Node.Add(Node("ReduceMax", [tiny.OutputName], "max", Ints("axes", 1), Int("keepdims", 1)));
        g.Node.Add(Node("Neg", ["max"], "score"));
        g.Initializer.Add(Int64s("road_start", roadClass));
        g.Initializer.Add(Int64s("road_end", roadClass + 1));
        g.Initializer.Add(Int64s("one", 1));
        g.Node.Add(Node("Slice", [tiny.OutputName, "road_start", "road_end", "one"], "road_logit"));
        g.Node.Add(Node("Equal", ["road_logit", "max"], "is_road"));
        g.Node.Add(Node("Cast", ["is_road"], "road", Int("to", (long)TensorProto.Types.DataType.Uint8)));
        g.Output.Add(Value("score", TensorProto.Types.DataType.Float, tiny));
        g.Output.Add(Value("road", TensorProto.Types.DataType.Uint8, tiny));
        if (labels)
        {
            g.Node.Add(Node("ArgMax", [tiny.OutputName], "argmax", Int("axis", 1), Int("keepdims", 1)));
            g.Node.Add(Node("Cast", ["argmax"], "labels", Int("to", (long)TensorProto.Types.DataType.Uint8)));
            g.Output.Add(Value("labels", TensorProto.Types.DataType.Uint8, tiny));
        }

        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, long value)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.Add(value);
        return a;
    }

    private static TensorProto Int64s(string name, long value)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(1);
        t.Int64Data.Add(value);
        return t;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, TinyConvModel tiny)
    {
        var shape = new TensorShapeProto();
        foreach (var d in new long[] { 1, 1, tiny.Height, tiny.Width })
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
