using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.MideNet;

/// <summary>MiDE-Net initial block: concat(Conv3x3/2 (3 -> 13, no bias), MaxPool2x2) -> BN(16) -> ReLU.</summary>
public sealed class MideNetInitial : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv;
    private readonly BatchNorm2dLayer bn;

    public MideNetInitial()
        : base(nameof(MideNetInitial))
    {
        conv = new Conv2dLayer(3, 13, 3, stride: 2, padding: 1, bias: false);
        bn = new BatchNorm2dLayer(16);

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = cat([conv.call(input), nn.functional.max_pool2d(input, [2, 2], [2, 2])], 1);
        return nn.functional.relu(bn.call(x)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var convOut = conv.EmitAs(g, "conv", input);
        var pooled = g.MaxPool(input, [2, 2], [2, 2], [0, 0]);
        return g.Relu(bn.EmitAs(g, "bn", g.Concat(1, convOut, pooled)));
    }
}
