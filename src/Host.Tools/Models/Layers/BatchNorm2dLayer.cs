using Host.Tools.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>BatchNorm2d with PyTorch's names (<c>weight, bias, running_mean, running_var</c>); batch statistics in
/// training mode, running statistics in eval mode.</summary>
public sealed class BatchNorm2dLayer : nn.Module<Tensor, Tensor>, IOnnxEmitter
{
    private readonly double _eps;
    private readonly double _momentum;

    public BatchNorm2dLayer(long channels, double eps = 1e-5, double momentum = 0.1)
        : base(nameof(BatchNorm2dLayer))
    {
        _eps = eps;
        _momentum = momentum;
        Channels = channels;
        Weight = new Parameter(ones(channels));
        Bias = new Parameter(zeros(channels));
        RunningMean = zeros(channels);
        RunningVar = ones(channels);
        register_parameter("weight", Weight);
        register_parameter("bias", Bias);
        register_buffer("running_mean", RunningMean);
        register_buffer("running_var", RunningVar);
    }

    public long Channels { get; }

    public double Eps => _eps;

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public override Tensor forward(Tensor input) =>
        nn.functional.batch_norm(input, RunningMean, RunningVar, Weight, Bias, training, _momentum, _eps);

    public string Emit(OnnxGraphBuilder g, string input) =>
        g.BatchNorm(input, g.Initializer("weight", Weight), g.Initializer("bias", Bias),
            g.Initializer("running_mean", RunningMean), g.Initializer("running_var", RunningVar), _eps);
}
