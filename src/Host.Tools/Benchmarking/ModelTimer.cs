using System.Diagnostics;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Inference;
using Host.Tools.Models;
using Host.Tools.Preprocessing;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Benchmarking;

/// <summary>Times one network both ways on the same preprocessed image: ONNX Runtime (CPU) and TorchSharp eager.</summary>
public static class ModelTimer
{
    /// <summary>ORT latency of <paramref name="onnxPath"/>: <paramref name="warmup"/> untimed runs, then
    /// <paramref name="iterations"/> timed <see cref="SegmentationSession.Run"/> calls.</summary>
    public static LatencyStatistics TimeOnnx(string onnxPath, string imagePath, int warmup, int iterations, int? threads, ILogger logger)
    {
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = onnxPath, IntraOpThreads = threads }, logger);
        new PaperPreprocessor(session.InputHeight, session.InputWidth).Process(ImageLoader.Load(imagePath), session.InputBuffer);
        for (var i = 0; i < warmup; i++)
        {
            session.Run();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            session.Run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return LatencyStatistics.FromSamples(samples);
    }

    /// <summary>TorchSharp eager latency of <paramref name="network"/> (eval mode, no_grad), same input protocol.</summary>
    public static LatencyStatistics TimeTorch(SegmentationNetwork network, string imagePath, int height, int width, int warmup,
        int iterations, int? threads)
    {
        if (threads is { } t)
        {
            torch.set_num_threads(t);
        }

        network.eval();
        var input = new PaperPreprocessor(height, width).ProcessFile(imagePath);
        using var x = tensor(input, [1, 3, height, width]);
        using var noGrad = no_grad();
        for (var i = 0; i < warmup; i++)
        {
            using var scope = NewDisposeScope();
            network.call(x);
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            var start = Stopwatch.GetTimestamp();
            network.call(x);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return LatencyStatistics.FromSamples(samples);
    }
}
