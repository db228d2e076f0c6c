using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.MideNet;

/// <summary>MiDE-Net bottleneck: 1x1 -> BN -> ReLU -> 3x3 (stride 2 if down, dilation d) -> BN -> ReLU -> 1x1 -> BN;
/// residual = match_channels 1x1 conv when channels change or down-sampling; out = ReLU(main + residual).</summary>
public sealed class MideNetBottleneck : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv1;
    private readonly BatchNorm2dLayer bn1;
    private readonly Conv2dLayer conv2;
    private readonly BatchNorm2dLayer bn2;
    private readonly Conv2dLayer conv3;
    private readonly BatchNorm2dLayer bn3;
    private readonly Conv2dLayer? match_channels;

    /// <param name="innerChannels">Explicit inner widths (structured pruning): [conv1 out, conv2 out]; null =
    /// inChannels / 4.</param>
    public MideNetBottleneck(long inChannels, long outChannels, bool downsample = false, long dilation = 1, long[]? innerChannels = null)
        : base(nameof(MideNetBottleneck))
    {
        var inner = BlockWidths.Resolve(innerChannels, 2, inChannels / 4, nameof(MideNetBottleneck));
        var stride = downsample ? 2 : 1;
        conv1 = new Conv2dLayer(inChannels, inner[0], 1, bias: false);
        bn1 = new BatchNorm2dLayer(inner[0]);
        conv2 = new Conv2dLayer(inner[0], inner[1], 3, stride: stride, padding: dilation, dilation: dilation, bias: false);
        bn2 = new BatchNorm2dLayer(inner[1]);
        conv3 = new Conv2dLayer(inner[1], outChannels, 1, bias: false);
        bn3 = new BatchNorm2dLayer(outChannels);
        if (inChannels != outChannels || downsample)
        {
            match_channels = new Conv2dLayer(inChannels, outChannels, 1, stride: stride, bias: false);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        x = nn.functional.relu(bn2.call(conv2.call(x)));
        x = bn3.call(conv3.call(x));
        var residual = match_channels is null ? input : match_channels.call(input);
        return nn.functional.relu(x + residual).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(bn1.EmitAs(g, "bn1", conv1.EmitAs(g, "conv1", input)));
        x = g.Relu(bn2.EmitAs(g, "bn2", conv2.EmitAs(g, "conv2", x)));
        x = bn3.EmitAs(g, "bn3", conv3.EmitAs(g, "conv3", x));
        var residual = match_channels is null ? input : match_channels.EmitAs(g, "match_channels", input);
        return g.Relu(g.Add(x, residual));
    }
}
