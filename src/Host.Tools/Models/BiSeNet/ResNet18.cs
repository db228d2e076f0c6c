using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.BiSeNet;

/// <summary>ResNet-18 backbone (torchvision names) returning the 1/8, 1/16 and 1/32 features.</summary>
public sealed class ResNet18 : nn.Module<Tensor, (Tensor Feat8, Tensor Feat16, Tensor Feat32)>
{
    private readonly Conv2dLayer conv1;
    private readonly BatchNorm2dLayer bn1;
    private readonly SequentialLayer[] _layers;

    public ResNet18()
        : base(nameof(ResNet18))
    {
        conv1 = new Conv2dLayer(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = new BatchNorm2dLayer(64);
        var channels = new long[] { 64, 64, 128, 256, 512 };
        _layers = new SequentialLayer[4];
        for (var i = 0; i < 4; i++)
        {
            var stride = i == 0 ? 1 : 2;
            _layers[i] = new SequentialLayer(new ResNetBasicBlock(channels[i], channels[i + 1], stride),
                new ResNetBasicBlock(channels[i + 1], channels[i + 1], 1));
            register_module($"layer{i + 1}", _layers[i]);
        }

        RegisterComponents();
    }

    public override (Tensor Feat8, Tensor Feat16, Tensor Feat32) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        x = nn.functional.max_pool2d(x, [3, 3], [2, 2], [1, 1]);
        x = _layers[0].call(x);
        var feat8 = _layers[1].call(x);
        var feat16 = _layers[2].call(feat8);
        var feat32 = _layers[3].call(feat16);
        return (feat8.MoveToOuterDisposeScope(), feat16.MoveToOuterDisposeScope(), feat32.MoveToOuterDisposeScope());
    }

    public (string Feat8, string Feat16, string Feat32) Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(bn1.EmitAs(g, "bn1", conv1.EmitAs(g, "conv1", input)));
        x = g.MaxPool(x, [3, 3], [2, 2], [1, 1]);
        x = _layers[0].EmitAs(g, "layer1", x);
        var feat8 = _layers[1].EmitAs(g, "layer2", x);
        var feat16 = _layers[2].EmitAs(g, "layer3", feat8);
        var feat32 = _layers[3].EmitAs(g, "layer4", feat16);
        return (feat8, feat16, feat32);
    }
}
