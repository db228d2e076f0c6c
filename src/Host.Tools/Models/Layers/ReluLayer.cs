using Host.Tools.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>ReLU without parameters (keeps Sequential indices aligned with PyTorch's).</summary>
public sealed class ReluLayer : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    public ReluLayer()
        : base(nameof(ReluLayer))
    {
    }

    public override Tensor forward(Tensor input) => nn.functional.relu(input);

    public string Emit(OnnxGraphBuilder g, string input) => g.Relu(input);
}
