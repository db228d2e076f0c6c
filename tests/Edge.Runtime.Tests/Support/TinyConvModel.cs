using Google.Protobuf;
using Onnx;

namespace Edge.Runtime.Tests.Support;

/// <summary>
/// A 1x1 Conv segmentation net built in memory with OnnxSharp: image[1,3,H,W] → logits[1,C,H,W],
/// logits[o] = Σ_c W[o,c]·image[c] + B[o] with deterministic known weights.
/// </summary>
internal sealed class TinyConvModel
{
    public TinyConvModel(int height = 8, int width = 16, int classes = 20, string inputName = "image", string outputName = "logits", int channels = 3)
    {
        Height = height;
        Width = width;
        Classes = classes;
        Channels = channels;
        InputName = inputName;
        OutputName = outputName;
        Weights = new float[classes * channels];
        Bias = new float[classes];
        for (var o = 0; o < classes; o++)
        {
            Bias[o] = (o - 9.5f) / 10f;
            for (var c = 0; c < channels; c++)
            {
                Weights[(o * channels) + c] = MathF.Sin((o * 3) + c + 1) * (1 + (o % 4));
            }
        }
    }

    public int Height { get; }

    public int Width { get; }

    public int Classes { get; }

    public int Channels { get; }

    public string InputName { get; }

    public string OutputName { get; }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public string WriteTo(string directory, string fileName = "tiny.onnx")
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, Build().ToByteArray());
        return path;
    }

    /// <summary>Independent double-precision evaluation of the same network.</summary>
    public double[] Evaluate(ReadOnlySpan<float> input)
    {
        var plane = Height * Width;
        var result = new double[Classes * plane];
        for (var o = 0; o < Classes; o++)
        {
            for (var p = 0; p < plane; p++)
            {
                double sum = Bias[o];
                for (var c = 0; c < Channels; c++)
                {
                    sum += (double)Weights[(o * Channels) + c] * input[(c * plane) + p];
                }

                result[(o * plane) + p] = sum;
            }
        }

        return result;
    }

    private ModelProto Build()
    {
        var weight = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float };
        weight.Dims.AddRange([Classes, Channels, 1, 1]);
        weight.FloatData.AddRange(Weights);
        var bias = new TensorProto { Name = "B", DataType = (int)TensorProto.Types.DataType.Float };
        bias.Dims.Add(Classes);
        bias.FloatData.AddRange(Bias);

        var conv = new NodeProto { OpType = "Conv", Name = "head" };
        conv.Input.AddRange([InputName, "W", "B"]);
        conv.Output.Add(OutputName);

        var graph = new GraphProto { Name = "tiny" };
        graph.Node.Add(conv);
        graph.Initializer.AddRange([weight, bias]);
        graph.Input.Add(Value(InputName, 1, Channels, Height, Width));
        graph.Output.Add(Value(OutputName, 1, Classes, Height, Width));

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
