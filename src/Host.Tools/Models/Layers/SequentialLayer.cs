using Host.Tools.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>An ordered chain of emitting layers named "0", "1", ... like PyTorch's nn.Sequential.</summary>
public sealed class SequentialLayer : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly nn.Module<Tensor, Tensor>[] _layers;

    public SequentialLayer(params nn.Module<Tensor, Tensor>[] layers)
        : base(nameof(SequentialLayer))
    {
        _layers = layers;
        for (var i = 0; i < layers.Length; i++)
        {
            if (layers[i] is not IOnnxEmitter)
            {
                throw new ArgumentException($"Layer {i} ({layers[i].GetType().Name}) cannot emit ONNX.", nameof(layers));
            }

            register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
        }
    }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => _layers;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.call(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var x = input;
        for (var i = 0; i < _layers.Length; i++)
        {
            using (g.Scope(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                x = ((IOnnxEmitter)_layers[i]).Emit(g, x);
            }
        }

        return x;
    }
}
