using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet initial block, seed layout: concat(MaxPool2d(2,2,ceil), Conv3x3/2 (bias)) -> BN -> PReLU(16).</summary>
public sealed class EnetSeedInitial : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv;
    private readonly BatchNorm2dLayer bn;
    private readonly PReluLayer prelu;

    public EnetSeedInitial()
        : base(nameof(EnetSeedInitial))
    {
        conv = new Conv2dLayer(3, 13, 3, stride: 2, padding: 1, bias: true);
        bn = new BatchNorm2dLayer(16);
        prelu = new PReluLayer(16);

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.max_pool2d(input, [2, 2], [2, 2], ceil_mode: true);
        var x = cat([pooled, conv.call(input)], 1);
        return prelu.call(bn.call(x)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var pooled = g.MaxPool(input, [2, 2], [2, 2], [0, 0], ceil: true);
        string convOut;
        using (g.Scope("conv"))
        {
            convOut = conv.Emit(g, input);
        }

        var x = g.Concat(1, pooled, convOut);
        using (g.Scope("bn"))
        {
            x = bn.Emit(g, x);
        }

        using (g.Scope("prelu"))
        {
            return prelu.Emit(g, x);
        }
    }
}
