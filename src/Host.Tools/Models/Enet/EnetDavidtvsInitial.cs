using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet initial block, PyTorch-ENet layout: concat(Conv3x3/2 (no bias), MaxPool3x3/2 pad 1) -> BN -> PReLU.</summary>
public sealed class EnetDavidtvsInitial : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer _mainBranch;
    private readonly BatchNorm2dLayer _batchNorm;
    private readonly PReluLayer _outActivation;

    public EnetDavidtvsInitial()
        : base(nameof(EnetDavidtvsInitial))
    {
        _mainBranch = new Conv2dLayer(3, 13, 3, stride: 2, padding: 1, bias: false);
        _batchNorm = new BatchNorm2dLayer(16);
        _outActivation = new PReluLayer();
        register_module("main_branch", _mainBranch);
        register_module("batch_norm", _batchNorm);
        register_module("out_activation", _outActivation);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.max_pool2d(input, [3, 3], [2, 2], [1, 1]);
        var x = cat([_mainBranch.call(input), pooled], 1);
        return _outActivation.call(_batchNorm.call(x)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        string conv;
        using (g.Scope("main_branch"))
        {
            conv = _mainBranch.Emit(g, input);
        }

        var pooled = g.MaxPool(input, [3, 3], [2, 2], [1, 1]);
        var x = g.Concat(1, conv, pooled);
        using (g.Scope("batch_norm"))
        {
            x = _batchNorm.Emit(g, x);
        }

        using (g.Scope("out_activation"))
        {
            return _outActivation.Emit(g, x);
        }
    }
}
