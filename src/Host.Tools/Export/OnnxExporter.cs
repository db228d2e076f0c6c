using Edge.Runtime.IO;
using Google.Protobuf;
using Host.Tools.Models;
using Host.Tools.Models.Enet;
using Onnx;
using static TorchSharp.torch;

namespace Host.Tools.Export;

/// <summary>Writes a <see cref="SegmentationNetwork"/> as an ONNX model: input <c>image</c> float32 [1,3,H,W],
/// output <c>logits</c> float32 [1,C,H,W], opset 17.</summary>
public static class OnnxExporter
{
    public const string InputName = "image";
    public const string OutputName = "logits";

    /// <param name="normalization">Standardisation the checkpoint was trained with, written as Sub/Div at the graph's input
    /// (null: the network takes the [0,1] image directly, the paper's protocol).</param>
    public static ModelProto Build(SegmentationNetwork network, int height, int width, UnpoolMode unpool = UnpoolMode.MaxUnpool,
        IReadOnlyDictionary<string, string>? metadata = null, InputNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (height <= 0 || width <= 0 || height % network.SizeMultiple != 0 || width % network.SizeMultiple != 0)
        {
            throw new ArgumentException(
                $"Input size {height}x{width} is not valid for {network.Architecture}: expected positive multiples of {network.SizeMultiple}.");
        }

        using var noGrad = no_grad();
        var g = new OnnxGraphBuilder { InputSize = (height, width) };
        g.AddInput(InputName, [1, 3, height, width]);
        if (unpool == UnpoolMode.TensorRt && network is not IUnpoolingNetwork)
        {
            throw new ArgumentException($"{network.Architecture} has no max-unpooling; a TensorRT variant is only for ENet.");
        }

        var input = InputName;
        if (normalization is not null)
        {
            normalization.Validate();
            using var scope = g.Scope("input_normalization");
            var mean = g.Initializer("mean", [.. normalization.Mean], [1, 3, 1, 1]);
            var std = g.Initializer("std", [.. normalization.Std], [1, 3, 1, 1]);
            input = g.Node("Div", [g.Node("Sub", [InputName, mean]), std]);
        }

        var output = network is IUnpoolingNetwork unpooling ? unpooling.Emit(g, input, unpool) : network.Emit(g, input);

        g.Rename(output, OutputName);
        g.AddOutput(OutputName, [1, network.NumClasses, height, width]);
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>());
        if (normalization is not null)
        {
            meta["edgeseg.input_normalization"] = normalization.ToString();
        }

        return g.ToModel("edgeseg-tools", meta);
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, model.WriteTo);
    }
}
