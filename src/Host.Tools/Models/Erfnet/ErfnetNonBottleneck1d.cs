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
    private readonly Conv2dLayer _conv3x1First;
    private readonly Conv2dLayer _conv1x3First;
    private readonly BatchNorm2dLayer? _bn1;
    private readonly Conv2dLayer _conv3x1Second;
    private readonly Conv2dLayer _conv1x3Second;
    private readonly BatchNorm2dLayer? _bn2;
    private readonly double _dropout;

    public ErfnetNonBottleneck1d(long channels, double dropout, long dilation, bool foldedBatchNorm = false)
        : base(nameof(ErfnetNonBottleneck1d))
    {
        _dropout = dropout;
        _conv3x1First = new Conv2dLayer(channels, channels, (3, 1), padding: (1, 0), bias: true);
        _conv1x3First = new Conv2dLayer(channels, channels, (1, 3), padding: (0, 1), bias: true);
        _conv3x1Second = new Conv2dLayer(channels, channels, (3, 1), padding: (dilation, 0), dilation: (dilation, 1), bias: true);
        _conv1x3Second = new Conv2dLayer(channels, channels, (1, 3), padding: (0, dilation), dilation: (1, dilation), bias: true);
        register_module("conv3x1_1", _conv3x1First);
        register_module("conv1x3_1", _conv1x3First);
        register_module("conv3x1_2", _conv3x1Second);
        register_module("conv1x3_2", _conv1x3Second);
        if (!foldedBatchNorm)
        {
            _bn1 = new BatchNorm2dLayer(channels, eps: 1e-3);
            _bn2 = new BatchNorm2dLayer(channels, eps: 1e-3);
            register_module("bn1", _bn1);
            register_module("bn2", _bn2);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_conv3x1First.call(input));
        x = _conv1x3First.call(x);
        x = nn.functional.relu(_bn1 is null ? x : _bn1.call(x));
        x = nn.functional.relu(_conv3x1Second.call(x));
        x = _conv1x3Second.call(x);
        x = _bn2 is null ? x : _bn2.call(x);
        x = nn.functional.dropout2d(x, _dropout, training);
        return nn.functional.relu(x + input).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(_conv3x1First.EmitAs(g, "conv3x1_1", input));
        x = _conv1x3First.EmitAs(g, "conv1x3_1", x);
        x = g.Relu(_bn1 is null ? x : _bn1.EmitAs(g, "bn1", x));
        x = g.Relu(_conv3x1Second.EmitAs(g, "conv3x1_2", x));
        x = _conv1x3Second.EmitAs(g, "conv1x3_2", x);
        x = _bn2 is null ? x : _bn2.EmitAs(g, "bn2", x);
        return g.Relu(g.Add(x, input));
    }
}
