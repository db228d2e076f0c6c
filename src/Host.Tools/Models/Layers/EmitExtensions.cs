using Host.Tools.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>Emits a child layer under its state-dict name.</summary>
public static class EmitExtensions
{
    public static string EmitAs(this nn.Module<Tensor, Tensor> layer, OnnxGraphBuilder g, string name, string input)
    {
        if (layer is not IOnnxEmitter emitter)
        {
            throw new InvalidOperationException($"{name} ({layer.GetType().Name}) cannot emit ONNX.");
        }

        using (g.Scope(name))
        {
            return emitter.Emit(g, input);
        }
    }
}
