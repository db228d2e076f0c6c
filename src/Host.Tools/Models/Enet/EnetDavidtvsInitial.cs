using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet initial block, PyTorch-ENet layout: concat(Conv3x3/2 (no bias), MaxPool3x3/2 pad 1) -> BN -> PReLU.</summary>
public sealed class EnetDavidtvsInitial : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer main_branch;
    private readonly BatchNorm2dLayer batch_norm;
    private readonly PReluLayer out_activation;

    public EnetDavidtvsInitial()
        : base(nameof(EnetDavidtvsInitial))
    {
        main_branch = new Conv2dLayer(3, 13, 3, stride: 2, padding: 1, bias: false);
        batch_norm = new BatchNorm2dLayer(16);
        out_activation = new PReluLayer();

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.max_pool2d(input, [3, 3], [2, 2], [1, 1]);
        var x = cat([main_branch.call(input), pooled], 1);
        return out_activation.call(batch_norm.call(x)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        string conv;
        using (g.Scope("main_branch"))
        {
            conv = main_branch.Emit(g, input);
        }

        var pooled = g.MaxPool(input, [3, 3], [2, 2], [1, 1]);
        var x = g.Concat(1, conv, pooled);
        using (g.Scope("batch_norm"))
        {
            x = batch_norm.Emit(g, x);
        }

        using (g.Scope("out_activation"))
        {
            return out_activation.Emit(g, x);
        }
    }
}
