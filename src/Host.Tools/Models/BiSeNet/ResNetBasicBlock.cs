using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>ResNet basic block (torchvision names: conv1, bn1, conv2, bn2, downsample.0/1).</summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer _conv1;
    private readonly BatchNorm2dLayer _bn1;
    private readonly Conv2dLayer _conv2;
    private readonly BatchNorm2dLayer _bn2;
    private readonly SequentialLayer? _downsample;

    public ResNetBasicBlock(long inChannels, long outChannels, long stride)
        : base(nameof(ResNetBasicBlock))
    {
        _conv1 = new Conv2dLayer(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        _bn1 = new BatchNorm2dLayer(outChannels);
        _conv2 = new Conv2dLayer(outChannels, outChannels, 3, padding: 1, bias: false);
        _bn2 = new BatchNorm2dLayer(outChannels);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        if (stride != 1 || inChannels != outChannels)
        {
            _downsample = new SequentialLayer(new Conv2dLayer(inChannels, outChannels, 1, stride: stride, bias: false),
                new BatchNorm2dLayer(outChannels));
            register_module("downsample", _downsample);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_bn1.call(_conv1.call(input)));
        x = _bn2.call(_conv2.call(x));
        var shortcut = _downsample is null ? input : _downsample.call(input);
        return nn.functional.relu(x + shortcut).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(_bn1.EmitAs(g, "bn1", _conv1.EmitAs(g, "conv1", input)));
        x = _bn2.EmitAs(g, "bn2", _conv2.EmitAs(g, "conv2", x));
        var shortcut = _downsample is null ? input : _downsample.EmitAs(g, "downsample", input);
        return g.Relu(g.Add(x, shortcut));
    }
}
