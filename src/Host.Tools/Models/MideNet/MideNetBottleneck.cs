using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.MideNet;

/// <summary>MiDE-Net bottleneck: 1x1 -> BN -> ReLU -> 3x3 (stride 2 if down, dilation d) -> BN -> ReLU -> 1x1 -> BN;
/// residual = match_channels 1x1 conv when channels change or down-sampling; out = ReLU(main + residual).</summary>
public sealed class MideNetBottleneck : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly Conv2dLayer _conv1;
    private readonly BatchNorm2dLayer _bn1;
    private readonly Conv2dLayer _conv2;
    private readonly BatchNorm2dLayer _bn2;
    private readonly Conv2dLayer _conv3;
    private readonly BatchNorm2dLayer _bn3;
    private readonly Conv2dLayer? _matchChannels;

    public MideNetBottleneck(long inChannels, long outChannels, bool downsample = false, long dilation = 1)
        : base(nameof(MideNetBottleneck))
    {
        var inter = inChannels / 4;
        var stride = downsample ? 2 : 1;
        _conv1 = new Conv2dLayer(inChannels, inter, 1, bias: false);
        _bn1 = new BatchNorm2dLayer(inter);
        _conv2 = new Conv2dLayer(inter, inter, 3, stride: stride, padding: dilation, dilation: dilation, bias: false);
        _bn2 = new BatchNorm2dLayer(inter);
        _conv3 = new Conv2dLayer(inter, outChannels, 1, bias: false);
        _bn3 = new BatchNorm2dLayer(outChannels);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        register_module("conv3", _conv3);
        register_module("bn3", _bn3);
        if (inChannels != outChannels || downsample)
        {
            _matchChannels = new Conv2dLayer(inChannels, outChannels, 1, stride: stride, bias: false);
            register_module("match_channels", _matchChannels);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_bn1.call(_conv1.call(input)));
        x = nn.functional.relu(_bn2.call(_conv2.call(x)));
        x = _bn3.call(_conv3.call(x));
        var residual = _matchChannels is null ? input : _matchChannels.call(input);
        return nn.functional.relu(x + residual).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(_bn1.EmitAs(g, "bn1", _conv1.EmitAs(g, "conv1", input)));
        x = g.Relu(_bn2.EmitAs(g, "bn2", _conv2.EmitAs(g, "conv2", x)));
        x = _bn3.EmitAs(g, "bn3", _conv3.EmitAs(g, "conv3", x));
        var residual = _matchChannels is null ? input : _matchChannels.EmitAs(g, "match_channels", input);
        return g.Relu(g.Add(x, residual));
    }
}
