using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>ERFNet encoder: Down(3,16), Down(16,64), 5 x nb1d(64), Down(64,128), 8 x nb1d(128, d = 2,4,8,16,...).</summary>
public sealed class ErfnetEncoder : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly ErfnetDownsampler _initialBlock;
    private readonly SequentialLayer _layers;

    public ErfnetEncoder(bool foldedBatchNorm)
        : base(nameof(ErfnetEncoder))
    {
        _initialBlock = new ErfnetDownsampler(3, 16);
        var layers = new List<nn.Module<Tensor, Tensor>> { new ErfnetDownsampler(16, 64) };
        for (var i = 0; i < 5; i++)
        {
            layers.Add(new ErfnetNonBottleneck1d(64, 0.03, 1, foldedBatchNorm));
        }

        layers.Add(new ErfnetDownsampler(64, 128));
        for (var i = 0; i < 2; i++)
        {
            foreach (var d in new long[] { 2, 4, 8, 16 })
            {
                layers.Add(new ErfnetNonBottleneck1d(128, 0.3, d, foldedBatchNorm));
            }
        }

        _layers = new SequentialLayer(layers.ToArray());
        register_module("initial_block", _initialBlock);
        register_module("layers", _layers);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _layers.call(_initialBlock.call(input)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input) =>
        _layers.EmitAs(g, "layers", _initialBlock.EmitAs(g, "initial_block", input));
}
