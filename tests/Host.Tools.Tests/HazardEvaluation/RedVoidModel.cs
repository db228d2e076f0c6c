using Edge.Runtime.Models;
using Google.Protobuf;
using Onnx;

namespace Host.Tools.Tests.HazardEvaluation;

/// <summary>
/// A 1x1 Conv net (image[1,3,H,W] in 0..1 → logits[1,20,H,W]) whose void channel (19) is 20·(R − G) − 5, road (0) is
/// 0 and every other class −10: pure red pixels score VoidClass ≈ 1, grey ones ≈ 0.007 (and are road). Written with
/// its model card.
/// </summary>
internal static class RedVoidModel
{
    public const int Classes = 20;

    public static string Write(string directory, int height, int width, OperatingPoint? operatingPoint = null)
    {
        var weights = new float[Classes * 3];
        var bias = new float[Classes];
        for (var o = 1; o < Classes; o++)
        {
            bias[o] = -10;
        }

        weights[(19 * 3) + 0] = 20;
        weights[(19 * 3) + 1] = -20;
        bias[19] = -5;
        var path = Path.Combine(directory, "red-void.onnx");
        File.WriteAllBytes(path, Build(height, width, weights, bias).ToByteArray());
        new ModelCard
        {
            Name = "red-void",
            Architecture = "conv1x1",
            Classes = CityscapesClasses.WithVoid,
            VoidIndex = CityscapesClasses.VoidIndex,
            Input = new ModelInputSpec { Height = height, Width = width },
            DefaultScore = ScoreKind.VoidClass,
            Source = new ModelSource { Checkpoint = "tests/red-void", Sha256 = new string('a', 64) },
            Parameters = weights.Length + bias.Length,
            Created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            OperatingPoint = operatingPoint,
        }.Save(ModelCard.PathFor(path));
        return path;
    }

    private static ModelProto Build(int height, int width, float[] weights, float[] bias)
    {
        var w = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float };
        w.Dims.AddRange([Classes, 3, 1, 1]);
        w.FloatData.AddRange(weights);
        var b = new TensorProto { Name = "B", DataType = (int)TensorProto.Types.DataType.Float };
        b.Dims.Add(Classes);
        b.FloatData.AddRange(bias);
        var conv = new NodeProto { OpType = "Conv", Name = "head" };
        conv.Input.AddRange(["image", "W", "B"]);
        conv.Output.Add("logits");
        var graph = new GraphProto { Name = "red-void" };
        graph.Node.Add(conv);
        graph.Initializer.AddRange([w, b]);
        graph.Input.Add(Value("image", 1, 3, height, width));
        graph.Output.Add(Value("logits", 1, Classes, height, width));
        var model = new ModelProto { IrVersion = 8, ProducerName = "edgeseg-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model;
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
