using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet in the paper authors' layout (<c>weights/seed/pretrained/enet_*_epochs.pth</c>, void classifiers in
/// <c>weights/seed/finetuning</c>); see reference/architectures.md.</summary>
public sealed class EnetSeed : SegmentationNetwork, IUnpoolingNetwork
{
    private readonly EnetSeedInitial initial;
    private readonly (string Name, EnetSeedBottleneck Block)[] _blocks;
    private readonly ConvTranspose2dLayer fullconv;

    /// <param name="widths">Inner widths per bottleneck (structured pruning); null = the standard ENet.</param>
    public EnetSeed(int numClasses = 20, BlockWidths? widths = null)
        : base(nameof(EnetSeed), numClasses)
    {
        initial = new EnetSeedInitial();
        var blocks = new List<(string, EnetSeedBottleneck)>
        {
            ("bottleneck10", new EnetSeedBottleneck(EnetBlockKind.Downsampling, 16, 64, dropout: 0.01, innerChannels: widths?.For("bottleneck10"))),
        };
        for (var i = 1; i <= 4; i++)
        {
            blocks.Add(($"bottleneck1{i}", new EnetSeedBottleneck(EnetBlockKind.Regular, 64, 64, dropout: 0.01, innerChannels: widths?.For($"bottleneck1{i}"))));
        }

        blocks.Add(("bottleneck20", new EnetSeedBottleneck(EnetBlockKind.Downsampling, 64, 128, innerChannels: widths?.For("bottleneck20"))));
        foreach (var stage in new[] { 2, 3 })
        {
            var specs = new (EnetBlockKind Kind, long Dilation)[]
            {
                (EnetBlockKind.Regular, 1), (EnetBlockKind.Regular, 2), (EnetBlockKind.Asymmetric, 1), (EnetBlockKind.Regular, 4),
                (EnetBlockKind.Regular, 1), (EnetBlockKind.Regular, 8), (EnetBlockKind.Asymmetric, 1), (EnetBlockKind.Regular, 16),
            };
            for (var i = 0; i < specs.Length; i++)
            {
                blocks.Add(($"bottleneck{stage}{i + 1}", new EnetSeedBottleneck(specs[i].Kind, 128, 128, specs[i].Dilation,
                    innerChannels: widths?.For($"bottleneck{stage}{i + 1}"))));
            }
        }

        blocks.Add(("bottleneck40", new EnetSeedBottleneck(EnetBlockKind.Upsampling, 128, 64, prelu: false, innerChannels: widths?.For("bottleneck40"))));
        blocks.Add(("bottleneck41", new EnetSeedBottleneck(EnetBlockKind.Regular, 64, 64, prelu: false, innerChannels: widths?.For("bottleneck41"))));
        blocks.Add(("bottleneck42", new EnetSeedBottleneck(EnetBlockKind.Regular, 64, 64, prelu: false, innerChannels: widths?.For("bottleneck42"))));
        blocks.Add(("bottleneck50", new EnetSeedBottleneck(EnetBlockKind.Upsampling, 64, 16, prelu: false, innerChannels: widths?.For("bottleneck50"))));
        blocks.Add(("bottleneck51", new EnetSeedBottleneck(EnetBlockKind.Regular, 16, 16, prelu: false, innerChannels: widths?.For("bottleneck51"))));
        _blocks = blocks.ToArray();
        foreach (var (name, block) in _blocks)
        {
            register_module(name, block);
        }

        fullconv = new ConvTranspose2dLayer(16, numClasses, 3, stride: 2, padding: 1, outputPadding: 1, bias: false);

        RegisterComponents();
    }

    public override string Architecture => "enet-seed";

    public override int SizeMultiple => 8;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = EnetStages.Forward(_blocks.Select(b => (IEnetBottleneck)b.Block), initial.call(input));
        return fullconv.call(x).MoveToOuterDisposeScope();
    }

    public override string Emit(OnnxGraphBuilder g, string input) => Emit(g, input, UnpoolMode.MaxUnpool);

    public string Emit(OnnxGraphBuilder g, string input, UnpoolMode mode)
    {
        var x = initial.EmitAs(g, "initial", input);
        x = EnetStages.Emit(g, _blocks.Select(b => (b.Name, (IEnetBottleneck)b.Block)), x, mode);
        return fullconv.EmitAs(g, "fullconv", x);
    }
}
