using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet as laid out by the MIT-licensed PyTorch-ENet project (<c>weights/enet-davidtvs/model_best.pth</c>):
/// PReLU encoder, ReLU decoder.</summary>
public sealed class EnetDavidtvs : SegmentationNetwork, IUnpoolingNetwork
{
    private readonly EnetDavidtvsInitial initial_block;
    private readonly (string Name, EnetDavidtvsBottleneck Block)[] _blocks;
    private readonly ConvTranspose2dLayer transposed_conv;

    public EnetDavidtvs(int numClasses = 20)
        : base(nameof(EnetDavidtvs), numClasses)
    {
        initial_block = new EnetDavidtvsInitial();
        var blocks = new List<(string, EnetDavidtvsBottleneck)>
        {
            ("downsample1_0", new EnetDavidtvsBottleneck(EnetBlockKind.Downsampling, 16, 64, dropout: 0.01)),
        };
        for (var i = 1; i <= 4; i++)
        {
            blocks.Add(($"regular1_{i}", new EnetDavidtvsBottleneck(EnetBlockKind.Regular, 64, 64, dropout: 0.01)));
        }

        blocks.Add(("downsample2_0", new EnetDavidtvsBottleneck(EnetBlockKind.Downsampling, 64, 128)));
        var stage = new (string Name, EnetBlockKind Kind, long Dilation)[]
        {
            ("regular", EnetBlockKind.Regular, 1), ("dilated", EnetBlockKind.Regular, 2), ("asymmetric", EnetBlockKind.Asymmetric, 1),
            ("dilated", EnetBlockKind.Regular, 4), ("regular", EnetBlockKind.Regular, 1), ("dilated", EnetBlockKind.Regular, 8),
            ("asymmetric", EnetBlockKind.Asymmetric, 1), ("dilated", EnetBlockKind.Regular, 16),
        };
        for (var i = 0; i < stage.Length; i++)
        {
            blocks.Add(($"{stage[i].Name}2_{i + 1}", new EnetDavidtvsBottleneck(stage[i].Kind, 128, 128, stage[i].Dilation)));
        }

        for (var i = 0; i < stage.Length; i++)
        {
            blocks.Add(($"{stage[i].Name}3_{i}", new EnetDavidtvsBottleneck(stage[i].Kind, 128, 128, stage[i].Dilation)));
        }

        blocks.Add(("upsample4_0", new EnetDavidtvsBottleneck(EnetBlockKind.Upsampling, 128, 64, relu: true)));
        blocks.Add(("regular4_1", new EnetDavidtvsBottleneck(EnetBlockKind.Regular, 64, 64, relu: true)));
        blocks.Add(("regular4_2", new EnetDavidtvsBottleneck(EnetBlockKind.Regular, 64, 64, relu: true)));
        blocks.Add(("upsample5_0", new EnetDavidtvsBottleneck(EnetBlockKind.Upsampling, 64, 16, relu: true)));
        blocks.Add(("regular5_1", new EnetDavidtvsBottleneck(EnetBlockKind.Regular, 16, 16, relu: true)));
        _blocks = blocks.ToArray();
        foreach (var (name, block) in _blocks)
        {
            register_module(name, block);
        }

        transposed_conv = new ConvTranspose2dLayer(16, numClasses, 3, stride: 2, padding: 1, outputPadding: 1, bias: false);

        RegisterComponents();
    }

    public override string Architecture => "enet-davidtvs";

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = EnetStages.Forward(_blocks.Select(b => (IEnetBottleneck)b.Block), initial_block.call(input));
        return transposed_conv.call(x).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input) => Emit(g, input, UnpoolMode.MaxUnpool);

    public string Emit(OnnxGraphBuilder g, string input, UnpoolMode mode)
    {
        var x = initial_block.EmitAs(g, "initial_block", input);
        x = EnetStages.Emit(g, _blocks.Select(b => (b.Name, (IEnetBottleneck)b.Block)), x, mode);
        return transposed_conv.EmitAs(g, "transposed_conv", x);
    }
}
