using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>
/// ERFNet non_bottleneck_1d: 3x1 -> ReLU -> 1x3 -> BN -> ReLU -> 3x1 (dilated) -> ReLU -> 1x3 (dilated) -> BN -> Dropout
/// -> ReLU(out + input). With <c>foldedBatchNorm</c> bn1/bn2 are absent (folded into conv1x3_1/conv1x3_2, as PyTorch
/// FX quantization stores them).
/// </summary>
public sealed class ErfnetNonBottleneck1d : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer conv3x1_1;
    private readonly Conv2dLayer conv1x3_1;
    private readonly BatchNorm2dLayer? bn1;
    private readonly Conv2dLayer conv3x1_2;
    private readonly Conv2dLayer conv1x3_2;
    private readonly BatchNorm2dLayer? bn2;
    private readonly double _dropout;

    /// <param name="innerChannels">Explicit inner widths (structured pruning): [conv3x1_1 out, conv1x3_1 out,
    /// conv3x1_2 out]; null = <paramref name="channels"/> everywhere. The block output (conv1x3_2 out) stays
    /// <paramref name="channels"/> because it is added to the input.</param>
    public ErfnetNonBottleneck1d(long channels, double dropout, long dilation, bool foldedBatchNorm = false, long[]? innerChannels = null)
        : base(nameof(ErfnetNonBottleneck1d))
    {
        _dropout = dropout;
        var inner = BlockWidths.Resolve(innerChannels, 3, channels, nameof(ErfnetNonBottleneck1d));
        conv3x1_1 = new Conv2dLayer(channels, inner[0], (3, 1), padding: (1, 0), bias: true);
        conv1x3_1 = new Conv2dLayer(inner[0], inner[1], (1, 3), padding: (0, 1), bias: true);
        conv3x1_2 = new Conv2dLayer(inner[1], inner[2], (3, 1), padding: (dilation, 0), dilation: (dilation, 1), bias: true);
        conv1x3_2 = new Conv2dLayer(inner[2], channels, (1, 3), padding: (0, dilation), dilation: (1, dilation), bias: true);
        if (!foldedBatchNorm)
        {
            bn1 = new BatchNorm2dLayer(inner[1], eps: 1e-3);
            bn2 = new BatchNorm2dLayer(channels, eps: 1e-3);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(conv3x1_1.call(input));
        x = conv1x3_1.call(x);
        x = nn.functional.relu(bn1 is null ? x : bn1.call(x));
        x = nn.functional.relu(conv3x1_2.call(x));
        x = conv1x3_2.call(x);
        x = bn2 is null ? x : bn2.call(x);
        x = nn.functional.dropout2d(x, _dropout, training);
        return nn.functional.relu(x + input).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(conv3x1_1.EmitAs(g, "conv3x1_1", input));
        x = conv1x3_1.EmitAs(g, "conv1x3_1", x);
        x = g.Relu(bn1 is null ? x : bn1.EmitAs(g, "bn1", x));
        x = g.Relu(conv3x1_2.EmitAs(g, "conv3x1_2", x));
        x = conv1x3_2.EmitAs(g, "conv1x3_2", x);
        x = bn2 is null ? x : bn2.EmitAs(g, "bn2", x);
        return g.Relu(g.Add(x, input));
    }
}
