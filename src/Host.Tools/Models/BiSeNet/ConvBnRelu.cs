using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>Conv (no bias) -> BN -> optional ReLU.</summary>
public sealed class ConvBnRelu : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer _conv;
    private readonly BatchNorm2dLayer _bn;
    private readonly bool _relu;

    public ConvBnRelu(long inChannels, long outChannels, long kernel, long stride = 1, long? padding = null, bool relu = true)
        : base(nameof(ConvBnRelu))
    {
        _conv = new Conv2dLayer(inChannels, outChannels, kernel, stride: stride, padding: padding ?? kernel / 2, bias: false);
        _bn = new BatchNorm2dLayer(outChannels);
        _relu = relu;
        register_module("conv", _conv);
        register_module("bn", _bn);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _bn.call(_conv.call(input));
        return (_relu ? nn.functional.relu(x) : x).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = _bn.EmitAs(g, "bn", _conv.EmitAs(g, "conv", input));
        return _relu ? g.Relu(x) : x;
    }
}
