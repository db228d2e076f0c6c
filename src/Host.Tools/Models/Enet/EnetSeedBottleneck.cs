using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>
/// ENet bottleneck in the paper authors' layout (keys conv1, bn1, prelu1, conv2, bn2, prelu2, conv3, bn3, prelu3,
/// prelu_out, and spatil_conv/bn_up in up-sampling blocks). Stages 4 and 5 use ReLU (no prelu keys).
/// </summary>
public sealed class EnetSeedBottleneck : nn.Module<Tensor, Tensor>, IEnetBottleneck
{
    private readonly EnetBlockKind _kind;
    private readonly long _inChannels;
    private readonly long _outChannels;
    private readonly double _dropout;
    private readonly Conv2dLayer conv1;
    private readonly BatchNorm2dLayer bn1;
    private readonly nn.Module<Tensor, Tensor> prelu1;
    private readonly nn.Module<Tensor, Tensor> conv2;
    private readonly BatchNorm2dLayer bn2;
    private readonly nn.Module<Tensor, Tensor> prelu2;
    private readonly Conv2dLayer conv3;
    private readonly BatchNorm2dLayer bn3;
    private readonly nn.Module<Tensor, Tensor> prelu3;
    private readonly nn.Module<Tensor, Tensor> prelu_out;
    private readonly Conv2dLayer? spatil_conv;
    private readonly BatchNorm2dLayer? bn_up;

    /// <param name="innerChannels">Explicit inner widths (structured pruning): [conv1 out, conv2 out], or for
    /// asymmetric blocks [conv1 out, conv2.0 out, conv2.3 out]; null = inChannels / 4 everywhere.</param>
    public EnetSeedBottleneck(EnetBlockKind kind, long inChannels, long outChannels, long dilation = 1, bool prelu = true,
        double dropout = 0.1, long[]? innerChannels = null)
        : base(nameof(EnetSeedBottleneck))
    {
        _kind = kind;
        _inChannels = inChannels;
        _outChannels = outChannels;
        _dropout = dropout;
        var inner = BlockWidths.Resolve(innerChannels, kind == EnetBlockKind.Asymmetric ? 3 : 2, inChannels / 4, nameof(EnetSeedBottleneck));
        var inter = inner[0];
        var inter2 = inner[^1];
        conv1 = kind == EnetBlockKind.Downsampling
            ? new Conv2dLayer(inChannels, inter, 2, stride: 2, bias: false)
            : new Conv2dLayer(inChannels, inter, 1, bias: false);
        bn1 = new BatchNorm2dLayer(inter);
        prelu1 = Activation(prelu);
        conv2 = kind switch
        {
            EnetBlockKind.Asymmetric => new SequentialLayer(
                new Conv2dLayer(inter, inner[1], (1, 5), padding: (0, 2), bias: true),
                new BatchNorm2dLayer(inner[1]),
                new PReluLayer(),
                new Conv2dLayer(inner[1], inter2, (5, 1), padding: (2, 0), bias: true)),
            EnetBlockKind.Upsampling => new ConvTranspose2dLayer(inter, inter2, 3, stride: 2, padding: 1, outputPadding: 1, bias: false),
            _ => new Conv2dLayer(inter, inter2, 3, padding: dilation, dilation: dilation, bias: false),
        };
        bn2 = new BatchNorm2dLayer(inter2);
        prelu2 = Activation(prelu);
        conv3 = new Conv2dLayer(inter2, outChannels, 1, bias: false);
        bn3 = new BatchNorm2dLayer(outChannels);
        prelu3 = Activation(prelu);
        prelu_out = Activation(prelu);
        if (kind == EnetBlockKind.Upsampling)
        {
            spatil_conv = new Conv2dLayer(inChannels, outChannels, 1, bias: false);
            bn_up = new BatchNorm2dLayer(outChannels);
        }

        RegisterComponents();
    }

    public EnetBlockKind Kind => _kind;

    public Tensor Forward(Tensor input) => call(input);

    public override Tensor forward(Tensor input)
    {
        if (_kind is EnetBlockKind.Downsampling or EnetBlockKind.Upsampling)
        {
            throw new InvalidOperationException($"A {_kind} bottleneck needs its pooling indices: use ForwardDown / ForwardUp.");
        }

        using var scope = NewDisposeScope();
        return prelu_out.call(Branch(input) + input).MoveToOuterDisposeScope();
    }

    /// <summary>Down-sampling: returns the output and the 2x2 max-pool indices of the main branch.</summary>
    public Tensor ForwardDown(Tensor input, out Tensor indices)
    {
        using var scope = NewDisposeScope();
        var main = MaxUnpool.PoolPadded(input, _outChannels, out var idx);
        var ext = Branch(input);
        indices = idx.MoveToOuterDisposeScope();
        return prelu_out.call(ext + main).MoveToOuterDisposeScope();
    }

    /// <summary>Up-sampling with the indices of the matching down-sampling block.</summary>
    public Tensor ForwardUp(Tensor input, Tensor indices)
    {
        using var scope = NewDisposeScope();
        var main = bn_up!.call(spatil_conv!.call(input));
        main = MaxUnpool.Apply(main, indices);
        return prelu_out.call(Branch(input) + main).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var branch = EmitBranch(g, input);
        return EmitActivation(g, "prelu_out", prelu_out, g.Add(branch, input));
    }

    public string EmitDown(OnnxGraphBuilder g, string input, UnpoolMode mode, out PoolIndices indices)
    {
        var main = MaxUnpoolEmitter.PoolPadded(g, input, mode, _inChannels, _outChannels, out indices);
        var branch = EmitBranch(g, input);
        return EmitActivation(g, "prelu_out", prelu_out, g.Add(branch, main));
    }

    public string EmitUp(OnnxGraphBuilder g, string input, PoolIndices indices)
    {
        string main;
        using (g.Scope("spatil_conv"))
        {
            main = spatil_conv!.Emit(g, input);
        }

        using (g.Scope("bn_up"))
        {
            main = bn_up!.Emit(g, main);
        }

        main = MaxUnpoolEmitter.Unpool(g, main, indices);
        var branch = EmitBranch(g, input);
        return EmitActivation(g, "prelu_out", prelu_out, g.Add(branch, main));
    }

    private Tensor Branch(Tensor x)
    {
        x = prelu1.call(bn1.call(conv1.call(x)));
        x = prelu2.call(bn2.call(conv2.call(x)));
        x = prelu3.call(bn3.call(conv3.call(x)));
        return nn.functional.dropout2d(x, _dropout, training);
    }

    private string EmitBranch(OnnxGraphBuilder g, string x)
    {
        x = EmitLayer(g, "conv1", conv1, x);
        x = EmitLayer(g, "bn1", bn1, x);
        x = EmitActivation(g, "prelu1", prelu1, x);
        x = EmitLayer(g, "conv2", conv2, x);
        x = EmitLayer(g, "bn2", bn2, x);
        x = EmitActivation(g, "prelu2", prelu2, x);
        x = EmitLayer(g, "conv3", conv3, x);
        x = EmitLayer(g, "bn3", bn3, x);
        return EmitActivation(g, "prelu3", prelu3, x);
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
