using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet initial block, seed layout: concat(MaxPool2d(2,2,ceil), Conv3x3/2 (bias)) -> BN -> PReLU(16).</summary>
public sealed class EnetSeedInitial : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer _conv;
    private readonly BatchNorm2dLayer _bn;
    private readonly PReluLayer _prelu;

    public EnetSeedInitial()
        : base(nameof(EnetSeedInitial))
    {
        _conv = new Conv2dLayer(3, 13, 3, stride: 2, padding: 1, bias: true);
        _bn = new BatchNorm2dLayer(16);
        _prelu = new PReluLayer(16);
        register_module("conv", _conv);
        register_module("bn", _bn);
        register_module("prelu", _prelu);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.max_pool2d(input, [2, 2], [2, 2], ceil_mode: true);
        var x = cat([pooled, _conv.call(input)], 1);
        return _prelu.call(_bn.call(x)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var pooled = g.MaxPool(input, [2, 2], [2, 2], [0, 0], ceil: true);
        string conv;
        using (g.Scope("conv"))
        {
            conv = _conv.Emit(g, input);
        }

        var x = g.Concat(1, pooled, conv);
        using (g.Scope("bn"))
        {
            x = _bn.Emit(g, x);
        }

        using (g.Scope("prelu"))
        {
            return _prelu.Emit(g, x);
        }
    }
}
