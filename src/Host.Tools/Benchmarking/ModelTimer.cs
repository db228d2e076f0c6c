using Edge.Runtime.Benchmarking;
using Edge.Runtime.Inference;
using Host.Tools.Models;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Benchmarking;

/// <summary>
/// Times one network both ways through the runtime's timing core (<see cref="InferenceTimer"/>): ONNX Runtime (CPU) and
/// TorchSharp eager, on the same seeded input tensor (<see cref="InferenceTimer.FillSeededInput"/>) with the same warm-up
/// and statistics as <c>edgeseg bench</c>.
/// </summary>
public static class ModelTimer
{
    /// <summary>ORT CPU latency of <paramref name="onnxPath"/>: <see cref="InferenceTimer.TimeRun"/>.</summary>
    public static LatencyStatistics TimeOnnx(string onnxPath, int warmup, int iterations, int? threads, ILogger logger,
        CancellationToken cancellationToken = default)
    {
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = onnxPath, Providers = [CpuExecutionProvider.ProviderName], IntraOpThreads = threads },
            logger);
        return InferenceTimer.TimeRun(session, warmup, iterations, cancellationToken);
    }

    /// <summary>
    /// TorchSharp eager latency of <paramref name="network"/> (eval mode, no_grad) on the seeded input; a timed run
    /// includes freeing its outputs.
    /// </summary>
    public static LatencyStatistics TimeTorch(SegmentationNetwork network, int height, int width, int warmup, int iterations, int? threads,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (threads is { } t)
        {
            torch.set_num_threads(t);
        }

        network.eval();
        var input = new float[3 * height * width];
        InferenceTimer.FillSeededInput(input);
        using var x = tensor(input, [1, 3, height, width]);
        using var noGrad = no_grad();
        return InferenceTimer.TimeStages(
            [() =>
            {
                using var scope = NewDisposeScope();
                network.call(x);
            }],
            warmup,
            iterations,
            cancellationToken).Total;
    }
}
