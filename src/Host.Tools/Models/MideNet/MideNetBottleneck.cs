using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.MideNet;

/// <summary>MiDE-Net bottleneck: 1x1 -> BN -> ReLU -> 3x3 (stride 2 if down, dilation d) -> BN -> ReLU -> 1x1 -> BN;
/// residual = match_channels 1x1 conv when channels change or down-sampling; out = ReLU(main + residual). With
/// <c>foldedBatchNorm</c> bn1..bn3 are absent and conv1..conv3 carry biases (how PyTorch FX quantization stores them).</summary>
public sealed class MideNetBottleneck : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv1;
    private readonly BatchNorm2dLayer? bn1;
    private readonly Conv2dLayer conv2;
    private readonly BatchNorm2dLayer? bn2;
    private readonly Conv2dLayer conv3;
    private readonly BatchNorm2dLayer? bn3;
    private readonly Conv2dLayer? match_channels;

    /// <param name="innerChannels">Explicit inner widths (structured pruning): [conv1 out, conv2 out]; null =
    /// inChannels / 4.</param>
    public MideNetBottleneck(long inChannels, long outChannels, bool downsample = false, long dilation = 1, long[]? innerChannels = null,
        bool foldedBatchNorm = false)
        : base(nameof(MideNetBottleneck))
    {
        var inner = BlockWidths.Resolve(innerChannels, 2, inChannels / 4, nameof(MideNetBottleneck));
        var stride = downsample ? 2 : 1;
        conv1 = new Conv2dLayer(inChannels, inner[0], 1, bias: foldedBatchNorm);
        conv2 = new Conv2dLayer(inner[0], inner[1], 3, stride: stride, padding: dilation, dilation: dilation, bias: foldedBatchNorm);
        conv3 = new Conv2dLayer(inner[1], outChannels, 1, bias: foldedBatchNorm);
        if (!foldedBatchNorm)
        {
            bn1 = new BatchNorm2dLayer(inner[0]);
            bn2 = new BatchNorm2dLayer(inner[1]);
            bn3 = new BatchNorm2dLayer(outChannels);
        }

        if (inChannels != outChannels || downsample)
        {
            match_channels = new Conv2dLayer(inChannels, outChannels, 1, stride: stride, bias: false);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(Bn(bn1, conv1.call(input)));
        x = nn.functional.relu(Bn(bn2, conv2.call(x)));
        x = Bn(bn3, conv3.call(x));
        var residual = match_channels is null ? input : match_channels.call(input);
        return nn.functional.relu(x + residual).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(EmitBn(g, bn1, "bn1", conv1.EmitAs(g, "conv1", input)));
        x = g.Relu(EmitBn(g, bn2, "bn2", conv2.EmitAs(g, "conv2", x)));
        x = EmitBn(g, bn3, "bn3", conv3.EmitAs(g, "conv3", x));
        var residual = match_channels is null ? input : match_channels.EmitAs(g, "match_channels", input);
        return g.Relu(g.Add(x, residual));
    }

    private static Tensor Bn(BatchNorm2dLayer? bn, Tensor x) => bn is null ? x : bn.call(x);

    private static string EmitBn(OnnxGraphBuilder g, BatchNorm2dLayer? bn, string name, string x) => bn is null ? x : bn.EmitAs(g, name, x);
}
