using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>ResNet basic block (torchvision names: conv1, bn1, conv2, bn2, downsample.0/1).</summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv1;
    private readonly BatchNorm2dLayer bn1;
    private readonly Conv2dLayer conv2;
    private readonly BatchNorm2dLayer bn2;
    private readonly SequentialLayer? downsample;

    public ResNetBasicBlock(long inChannels, long outChannels, long stride)
        : base(nameof(ResNetBasicBlock))
    {
        conv1 = new Conv2dLayer(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = new BatchNorm2dLayer(outChannels);
        conv2 = new Conv2dLayer(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = new BatchNorm2dLayer(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = new SequentialLayer(new Conv2dLayer(inChannels, outChannels, 1, stride: stride, bias: false),
                new BatchNorm2dLayer(outChannels));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var shortcut = downsample is null ? input : downsample.call(input);
        return nn.functional.relu(x + shortcut).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(bn1.EmitAs(g, "bn1", conv1.EmitAs(g, "conv1", input)));
        x = bn2.EmitAs(g, "bn2", conv2.EmitAs(g, "conv2", x));
        var shortcut = downsample is null ? input : downsample.EmitAs(g, "downsample", input);
        return g.Relu(g.Add(x, shortcut));
    }
}
