using Host.Tools.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>
/// PReLU with PyTorch's <c>weight</c> (one shared slope, or one per channel), initial slope 0.25. A shared slope is
/// exported as LeakyRelu(alpha = slope) — the same function — because ONNX Runtime fuses LeakyRelu into the preceding
/// convolution and runs it as QLinearLeakyRelu in int8, while its PRelu is a slow broadcasting kernel (ENet on CPU:
/// 25 % of the run time).
/// </summary>
public sealed class PReluLayer : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    public PReluLayer(long parameters = 1)
        : base(nameof(PReluLayer))
    {
        Weight = new Parameter(full(parameters, 0.25f));
        register_parameter("weight", Weight);
    }

    public Parameter Weight { get; }

    public override Tensor forward(Tensor input) => nn.functional.prelu(input, Weight);

    public string Emit(OnnxGraphBuilder g, string input)
    {
        if (Weight.shape[0] == 1)
        {
            return g.Node("LeakyRelu", [input], OnnxGraphBuilder.Float("alpha", Weight.detach().item<float>()));
        }

        using var slope = Weight.detach().reshape(Weight.shape[0], 1, 1);
        return g.PRelu(input, g.Initializer("weight", slope));
    }
}
