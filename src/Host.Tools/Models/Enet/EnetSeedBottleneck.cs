using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>
/// ENet bottleneck in the paper authors' layout (keys conv1, bn1, prelu1, conv2, bn2, prelu2, conv3, bn3, prelu3,
/// prelu_out, and spatil_conv/bn_up in up-sampling blocks). Stages 4 and 5 use ReLU (no prelu keys).
/// </summary>
public sealed class EnetSeedBottleneck : nn.Module<Tensor, Tensor>
{
    private readonly EnetBlockKind _kind;
    private readonly long _outChannels;
    private readonly double _dropout;
    private readonly Conv2dLayer _conv1;
    private readonly BatchNorm2dLayer _bn1;
    private readonly nn.Module<Tensor, Tensor> _act1;
    private readonly nn.Module<Tensor, Tensor> _conv2;
    private readonly BatchNorm2dLayer _bn2;
    private readonly nn.Module<Tensor, Tensor> _act2;
    private readonly Conv2dLayer _conv3;
    private readonly BatchNorm2dLayer _bn3;
    private readonly nn.Module<Tensor, Tensor> _act3;
    private readonly nn.Module<Tensor, Tensor> _actOut;
    private readonly Conv2dLayer? _spatialConv;
    private readonly BatchNorm2dLayer? _bnUp;

    public EnetSeedBottleneck(EnetBlockKind kind, long inChannels, long outChannels, long dilation = 1, bool prelu = true,
        double dropout = 0.1)
        : base(nameof(EnetSeedBottleneck))
    {
        _kind = kind;
        _outChannels = outChannels;
        _dropout = dropout;
        var inter = inChannels / 4;
        _conv1 = kind == EnetBlockKind.Downsampling
            ? new Conv2dLayer(inChannels, inter, 2, stride: 2, bias: false)
            : new Conv2dLayer(inChannels, inter, 1, bias: false);
        _bn1 = new BatchNorm2dLayer(inter);
        _act1 = Activation(prelu);
        _conv2 = kind switch
        {
            EnetBlockKind.Asymmetric => new SequentialLayer(
                new Conv2dLayer(inter, inter, (1, 5), padding: (0, 2), bias: true),
                new BatchNorm2dLayer(inter),
                new PReluLayer(),
                new Conv2dLayer(inter, inter, (5, 1), padding: (2, 0), bias: true)),
            EnetBlockKind.Upsampling => new ConvTranspose2dLayer(inter, inter, 3, stride: 2, padding: 1, outputPadding: 1, bias: false),
            _ => new Conv2dLayer(inter, inter, 3, padding: dilation, dilation: dilation, bias: false),
        };
        _bn2 = new BatchNorm2dLayer(inter);
        _act2 = Activation(prelu);
        _conv3 = new Conv2dLayer(inter, outChannels, 1, bias: false);
        _bn3 = new BatchNorm2dLayer(outChannels);
        _act3 = Activation(prelu);
        _actOut = Activation(prelu);

        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        RegisterIfPrelu("prelu1", _act1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        RegisterIfPrelu("prelu2", _act2);
        register_module("conv3", _conv3);
        register_module("bn3", _bn3);
        RegisterIfPrelu("prelu3", _act3);
        RegisterIfPrelu("prelu_out", _actOut);
        if (kind == EnetBlockKind.Upsampling)
        {
            _spatialConv = new Conv2dLayer(inChannels, outChannels, 1, bias: false);
            _bnUp = new BatchNorm2dLayer(outChannels);
            register_module("spatil_conv", _spatialConv);
            register_module("bn_up", _bnUp);
        }
    }

    public EnetBlockKind Kind => _kind;

    public override Tensor forward(Tensor input)
    {
        if (_kind is EnetBlockKind.Downsampling or EnetBlockKind.Upsampling)
        {
            throw new InvalidOperationException($"A {_kind} bottleneck needs its pooling indices: use ForwardDown / ForwardUp.");
        }

        using var scope = NewDisposeScope();
        return _actOut.call(Branch(input) + input).MoveToOuterDisposeScope();
    }

    /// <summary>Down-sampling: returns the output and the 2x2 max-pool indices of the main branch.</summary>
    public Tensor ForwardDown(Tensor input, out Tensor indices)
    {
        using var scope = NewDisposeScope();
        var (pooled, idx) = nn.functional.max_pool2d_with_indices(input, [2, 2], [2, 2]);
        var ext = Branch(input);
        var main = nn.functional.pad(pooled, [0, 0, 0, 0, 0, _outChannels - pooled.shape[1]]);
        indices = idx.MoveToOuterDisposeScope();
        return _actOut.call(ext + main).MoveToOuterDisposeScope();
    }

    /// <summary>Up-sampling with the indices of the matching down-sampling block.</summary>
    public Tensor ForwardUp(Tensor input, Tensor indices)
    {
        using var scope = NewDisposeScope();
        var main = _bnUp!.call(_spatialConv!.call(input));
        main = MaxUnpool.Apply(main, indices);
        return _actOut.call(Branch(input) + main).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var branch = EmitBranch(g, input);
        return EmitActivation(g, "prelu_out", _actOut, g.Add(branch, input));
    }

    public string EmitDown(OnnxGraphBuilder g, string input, UnpoolMode mode, long inChannels, out PoolIndices indices)
    {
        var pooled = MaxUnpoolEmitter.Pool(g, input, mode, out indices);
        var main = g.Pad(pooled, [0, 0, 0, 0, 0, _outChannels - inChannels, 0, 0]);
        var branch = EmitBranch(g, input);
        return EmitActivation(g, "prelu_out", _actOut, g.Add(branch, main));
    }

    public string EmitUp(OnnxGraphBuilder g, string input, PoolIndices indices)
    {
        string main;
        using (g.Scope("spatil_conv"))
        {
            main = _spatialConv!.Emit(g, input);
        }

        using (g.Scope("bn_up"))
        {
            main = _bnUp!.Emit(g, main);
        }

        main = MaxUnpoolEmitter.Unpool(g, main, indices);
        var branch = EmitBranch(g, input);
        return EmitActivation(g, "prelu_out", _actOut, g.Add(branch, main));
    }

    private Tensor Branch(Tensor x)
    {
        x = _act1.call(_bn1.call(_conv1.call(x)));
        x = _act2.call(_bn2.call(_conv2.call(x)));
        x = _act3.call(_bn3.call(_conv3.call(x)));
        return nn.functional.dropout2d(x, _dropout, training);
    }

    private string EmitBranch(OnnxGraphBuilder g, string x)
    {
        x = EmitLayer(g, "conv1", _conv1, x);
        x = EmitLayer(g, "bn1", _bn1, x);
        x = EmitActivation(g, "prelu1", _act1, x);
        x = EmitLayer(g, "conv2", _conv2, x);
        x = EmitLayer(g, "bn2", _bn2, x);
        x = EmitActivation(g, "prelu2", _act2, x);
        x = EmitLayer(g, "conv3", _conv3, x);
        x = EmitLayer(g, "bn3", _bn3, x);
        return EmitActivation(g, "prelu3", _act3, x);
    }

    private static string EmitLayer(OnnxGraphBuilder g, string name, nn.Module<Tensor, Tensor> layer, string x)
    {
        using (g.Scope(name))
        {
            return ((IOnnxEmitter)layer).Emit(g, x);
        }
    }

    private static string EmitActivation(OnnxGraphBuilder g, string name, nn.Module<Tensor, Tensor> act, string x) =>
        EmitLayer(g, name, act, x);

    private void RegisterIfPrelu(string name, nn.Module<Tensor, Tensor> act)
    {
        if (act is PReluLayer)
        {
            register_module(name, act);
        }
    }

    private static nn.Module<Tensor, Tensor> Activation(bool prelu) => prelu ? new PReluLayer() : new ReluLayer();
}
