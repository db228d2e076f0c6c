using Host.Tools.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>A transposed 2-D convolution with PyTorch's parameter layout (<c>weight</c> [in, out, kh, kw]).</summary>
public sealed class ConvTranspose2dLayer : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long[] _outputPadding;

    public ConvTranspose2dLayer(long inChannels, long outChannels, long kernel, long stride, long padding = 0,
        long outputPadding = 0, bool bias = true)
        : base(nameof(ConvTranspose2dLayer))
    {
        _stride = [stride, stride];
        _padding = [padding, padding];
        _outputPadding = [outputPadding, outputPadding];
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = [kernel, kernel];
        // PyTorch computes fan_in of a transposed conv from weight.size(1) * receptive field.
        var fanIn = outChannels * kernel * kernel;
        Weight = LayerInit.KaimingUniform(new long[] { inChannels, outChannels, kernel, kernel }, fanIn);
        register_parameter("weight", Weight);
        if (bias)
        {
            Bias = LayerInit.UniformBias(outChannels, fanIn);
            register_parameter("bias", Bias);
        }
    }

    public long InChannels { get; }

    public long OutChannels { get; }

    public long[] Kernel { get; }

    public long[] Stride => _stride;

    public long[] Padding => _padding;

    public long[] OutputPadding => _outputPadding;

    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv_transpose2d(input, Weight, Bias, _stride, _padding, _outputPadding);

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var w = g.Initializer("weight", Weight);
        var b = Bias is null ? null : g.Initializer("bias", Bias);
        return g.ConvTranspose(input, w, b, Kernel, _stride, _padding, _outputPadding);
    }
}
