using Google.Protobuf;
using Onnx;

namespace Edge.Runtime.Tests.Support;

/// <summary>
/// <see cref="TinyConvModel"/> behind a QuantizeLinear/DequantizeLinear pair on its input (uint8, scale 1/255,
/// zero point 0): the smallest QDQ model, for the int8 precision checks.
/// </summary>
internal static class QdqConvModel
{
    public static string WriteTo(string directory, string fileName = "tiny-qdq.onnx")
    {
        var tiny = new TinyConvModel();
        var model = new ModelProto { IrVersion = 8, ProducerName = "edgeseg-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        using (var stream = File.OpenRead(tiny.WriteTo(directory, "tiny-for-qdq.onnx")))
        {
            model.Graph = ModelProto.Parser.ParseFrom(stream).Graph;
        }

        var graph = model.Graph;
        var scale = new TensorProto { Name = "q_scale", DataType = (int)TensorProto.Types.DataType.Float };
        scale.FloatData.Add(1f / 255f);
        var zeroPoint = new TensorProto { Name = "q_zero", DataType = (int)TensorProto.Types.DataType.Uint8 };
        zeroPoint.Int32Data.Add(0);
        graph.Initializer.AddRange([scale, zeroPoint]);

        var quantize = new NodeProto { OpType = "QuantizeLinear", Name = "q" };
        quantize.Input.AddRange([tiny.InputName, "q_scale", "q_zero"]);
        quantize.Output.Add("image_q");
        var dequantize = new NodeProto { OpType = "DequantizeLinear", Name = "dq" };
        dequantize.Input.AddRange(["image_q", "q_scale", "q_zero"]);
        dequantize.Output.Add("image_dq");
        var conv = graph.Node.Single();
        conv.Input[0] = "image_dq";
        graph.Node.Clear();
        graph.Node.AddRange([quantize, dequantize, conv]);

        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
