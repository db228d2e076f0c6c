using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>Conv (no bias) -> BN -> optional ReLU.</summary>
public sealed class ConvBnRelu : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv;
    private readonly BatchNorm2dLayer bn;
    private readonly bool _relu;

    public ConvBnRelu(long inChannels, long outChannels, long kernel, long stride = 1, long? padding = null, bool relu = true)
        : base(nameof(ConvBnRelu))
    {
        conv = new Conv2dLayer(inChannels, outChannels, kernel, stride: stride, padding: padding ?? kernel / 2, bias: false);
        bn = new BatchNorm2dLayer(outChannels);
        _relu = relu;

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = bn.call(conv.call(input));
        return (_relu ? nn.functional.relu(x) : x).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = bn.EmitAs(g, "bn", conv.EmitAs(g, "conv", input));
        return _relu ? g.Relu(x) : x;
    }
}
