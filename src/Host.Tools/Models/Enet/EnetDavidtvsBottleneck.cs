using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>ENet bottleneck in the PyTorch-ENet layout (ext_conv1..3 Sequentials, main_conv1 / ext_tconv1 in
/// up-sampling blocks, out_activation).</summary>
public sealed class EnetDavidtvsBottleneck : nn.Module<Tensor, Tensor>, IEnetBottleneck
{
    private readonly EnetBlockKind _kind;
    private readonly long _inChannels;
    private readonly long _outChannels;
    private readonly double _dropout;
    private readonly SequentialLayer ext_conv1;
    private readonly SequentialLayer ext_conv2;
    private readonly SequentialLayer? ext_conv3;
    private readonly SequentialLayer? main_conv1;
    private readonly ConvTranspose2dLayer? ext_tconv1;
    private readonly BatchNorm2dLayer? ext_tconv1_bnorm;
    private readonly nn.Module<Tensor, Tensor>? ext_tconv1_activation;
    private readonly nn.Module<Tensor, Tensor> out_activation;

    public EnetDavidtvsBottleneck(EnetBlockKind kind, long inChannels, long outChannels, long dilation = 1, bool relu = false,
        double dropout = 0.1)
        : base(nameof(EnetDavidtvsBottleneck))
    {
        _kind = kind;
        _inChannels = inChannels;
        _outChannels = outChannels;
        _dropout = dropout;
        var inter = inChannels / 4;
        nn.Module<Tensor, Tensor> Act() => relu ? new ReluLayer() : new PReluLayer();

        if (kind == EnetBlockKind.Upsampling)
        {
            main_conv1 = new SequentialLayer(new Conv2dLayer(inChannels, outChannels, 1, bias: false), new BatchNorm2dLayer(outChannels));
            ext_conv1 = new SequentialLayer(new Conv2dLayer(inChannels, inter, 1, bias: false), new BatchNorm2dLayer(inter), Act());
            ext_tconv1 = new ConvTranspose2dLayer(inter, inter, 2, stride: 2, bias: false);
            ext_tconv1_bnorm = new BatchNorm2dLayer(inter);
            ext_tconv1_activation = Act();
            ext_conv2 = new SequentialLayer(new Conv2dLayer(inter, outChannels, 1, bias: false), new BatchNorm2dLayer(outChannels));
        }
        else
        {
            ext_conv1 = kind == EnetBlockKind.Downsampling
                ? new SequentialLayer(new Conv2dLayer(inChannels, inter, 2, stride: 2, bias: false), new BatchNorm2dLayer(inter), Act())
                : new SequentialLayer(new Conv2dLayer(inChannels, inter, 1, bias: false), new BatchNorm2dLayer(inter), Act());
            ext_conv2 = kind == EnetBlockKind.Asymmetric
                ? new SequentialLayer(
                    new Conv2dLayer(inter, inter, (5, 1), padding: (2, 0), bias: false), new BatchNorm2dLayer(inter), Act(),
                    new Conv2dLayer(inter, inter, (1, 5), padding: (0, 2), bias: false), new BatchNorm2dLayer(inter), Act())
                : new SequentialLayer(new Conv2dLayer(inter, inter, 3, padding: dilation, dilation: dilation, bias: false),
                    new BatchNorm2dLayer(inter), Act());
            ext_conv3 = new SequentialLayer(new Conv2dLayer(inter, outChannels, 1, bias: false), new BatchNorm2dLayer(outChannels), Act());
        }

        out_activation = Act();

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
        return out_activation.call(input + Branch(input)).MoveToOuterDisposeScope();
    }

    public Tensor ForwardDown(Tensor input, out Tensor indices)
    {
        using var scope = NewDisposeScope();
        var main = MaxUnpool.PoolPadded(input, _outChannels, out var idx);
        var ext = Branch(input);
        indices = idx.MoveToOuterDisposeScope();
        return out_activation.call(main + ext).MoveToOuterDisposeScope();
    }

    public Tensor ForwardUp(Tensor input, Tensor indices)
    {
        using var scope = NewDisposeScope();
        var main = main_conv1!.call(input);
        main = MaxUnpool.Apply(main, indices);
        return out_activation.call(main + Branch(input)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input) =>
        EmitNamed(g, "out_activation", out_activation, g.Add(input, EmitBranch(g, input)));

    public string EmitDown(OnnxGraphBuilder g, string input, UnpoolMode mode, out PoolIndices indices)
    {
        var main = MaxUnpoolEmitter.PoolPadded(g, input, mode, _inChannels, _outChannels, out indices);
        return EmitNamed(g, "out_activation", out_activation, g.Add(main, EmitBranch(g, input)));
    }

    public string EmitUp(OnnxGraphBuilder g, string input, PoolIndices indices)
    {
        var main = EmitNamed(g, "main_conv1", main_conv1!, input);
        main = MaxUnpoolEmitter.Unpool(g, main, indices);
        return EmitNamed(g, "out_activation", out_activation, g.Add(main, EmitBranch(g, input)));
    }

    private Tensor Branch(Tensor x)
    {
        if (_kind == EnetBlockKind.Upsampling)
        {
            x = ext_conv1.call(x);
            x = ext_tconv1_activation!.call(ext_tconv1_bnorm!.call(ext_tconv1!.call(x)));
            x = ext_conv2.call(x);
        }
        else
        {
            x = ext_conv3!.call(ext_conv2.call(ext_conv1.call(x)));
        }

        return nn.functional.dropout2d(x, _dropout, training);
    }

    private string EmitBranch(OnnxGraphBuilder g, string x)
    {
        if (_kind == EnetBlockKind.Upsampling)
        {
            x = EmitNamed(g, "ext_conv1", ext_conv1, x);
            x = EmitNamed(g, "ext_tconv1", ext_tconv1!, x);
            x = EmitNamed(g, "ext_tconv1_bnorm", ext_tconv1_bnorm!, x);
            x = EmitNamed(g, "ext_tconv1_activation", ext_tconv1_activation!, x);
            return EmitNamed(g, "ext_conv2", ext_conv2, x);
        }

        x = EmitNamed(g, "ext_conv1", ext_conv1, x);
        x = EmitNamed(g, "ext_conv2", ext_conv2, x);
        return EmitNamed(g, "ext_conv3", ext_conv3!, x);
    }

    private static string EmitNamed(OnnxGraphBuilder g, string name, nn.Module<Tensor, Tensor> layer, string x)
    {
        using (g.Scope(name))
        {
            return ((IOnnxEmitter)layer).Emit(g, x);
        }
    }

    private void RegisterIfPrelu(string name, nn.Module<Tensor, Tensor> act)
    {
        if (act is PReluLayer)
        {
            register_module(name, act);
        }
    }
}
