using Host.Tools.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>
/// A 2-D convolution with PyTorch's parameter names (<c>weight</c> [out, in/groups, kh, kw], optional <c>bias</c>)
/// and PyTorch's default initialisation, that also emits itself as an ONNX <c>Conv</c>.
/// </summary>
public sealed class Conv2dLayer : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long[] _dilation;
    private readonly long _groups;

    public Conv2dLayer(long inChannels, long outChannels, (long H, long W) kernel, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? dilation = null, long groups = 1, bool bias = true)
        : base(nameof(Conv2dLayer))
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        _stride = [s.H, s.W];
        _padding = [p.H, p.W];
        _dilation = [d.H, d.W];
        _groups = groups;
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = [kernel.H, kernel.W];
        var fanIn = inChannels / groups * kernel.H * kernel.W;
        Weight = LayerInit.KaimingUniform(new long[] { outChannels, inChannels / groups, kernel.H, kernel.W }, fanIn);
        register_parameter("weight", Weight);
        if (bias)
        {
            Bias = LayerInit.UniformBias(outChannels, fanIn);
            register_parameter("bias", Bias);
        }
    }

    public Conv2dLayer(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0, long dilation = 1,
        bool bias = true)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation), 1, bias)
    {
    }

    public long InChannels { get; }

    public long OutChannels { get; }

    public long[] Kernel { get; }

    public long[] Stride => _stride;

    public long[] Padding => _padding;

    public long[] Dilation => _dilation;

    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv2d(input, Weight, Bias, _stride, _padding, _dilation, _groups);

    public string Emit(OnnxGraphBuilder g, string input)
    {
        var w = g.Initializer("weight", Weight);
        var b = Bias is null ? null : g.Initializer("bias", Bias);
        return g.Conv(input, w, b, Kernel, _stride, _padding, _dilation, _groups);
    }
}
