using Host.Tools.Export;
using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Erfnet;

/// <summary>ERFNet decoder: Up(128,64), 2 x nb1d(64), Up(64,16), 2 x nb1d(16), ConvTranspose2x2/2 (16 -> classes).</summary>
public sealed class ErfnetDecoder : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly SequentialLayer _layers;
    private readonly ConvTranspose2dLayer _outputConv;

    public ErfnetDecoder(int numClasses, bool foldedBatchNorm)
        : base(nameof(ErfnetDecoder))
    {
        _layers = new SequentialLayer(
            new ErfnetUpsampler(128, 64),
            new ErfnetNonBottleneck1d(64, 0, 1, foldedBatchNorm),
            new ErfnetNonBottleneck1d(64, 0, 1, foldedBatchNorm),
            new ErfnetUpsampler(64, 16),
            new ErfnetNonBottleneck1d(16, 0, 1, foldedBatchNorm),
            new ErfnetNonBottleneck1d(16, 0, 1, foldedBatchNorm));
        _outputConv = new ConvTranspose2dLayer(16, numClasses, 2, stride: 2, bias: true);
        register_module("layers", _layers);
        register_module("output_conv", _outputConv);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _outputConv.call(_layers.call(input)).MoveToOuterDisposeScope();
    }

    public string Emit(OnnxGraphBuilder g, string input) =>
        _outputConv.EmitAs(g, "output_conv", _layers.EmitAs(g, "layers", input));
}
