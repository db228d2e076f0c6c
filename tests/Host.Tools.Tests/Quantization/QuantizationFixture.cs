using Host.Tools.Export;
using Host.Tools.Tests.Import;
using Host.Tools.Models;
using Host.Tools.Quantization;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Quantization;

/// <summary>Small (64x128) float models exported once and quantized for the quantization tests.</summary>
internal static class QuantizationFixture
{
    public const int Height = 64;
    public const int Width = 128;

    public static string CalibrationDirectory => TestPaths.Shared("data/cityscapes-sample/leftImg8bit");

    public static ModelProto Export(string architecture, int seed = 3)
    {
        manual_seed(seed);
        using var net = NetworkFactory.Create(architecture, 20);
        Randomize.BatchNorms(net, seed + 1);
        net.eval();
        return OnnxExporter.Build(net, Height, Width);
    }

    public static string ExportTo(TempDirectory dir, string architecture, string name)
    {
        var path = dir.File(name + ".onnx");
        OnnxExporter.Save(Export(architecture), path);
        return path;
    }

    public static QuantizationResult Quantize(string model, string output, QuantizationTargetKind target, CalibrationMethod method = CalibrationMethod.MinMax,
        IReadOnlyList<string>? keepFloat = null) =>
        new StaticQuantizer(NullLogger.Instance).Quantize(new QuantizeSettings
        {
            ModelPath = model,
            CalibrationDirectory = CalibrationDirectory,
            Count = 2,
            Method = method,
            Target = target,
            KeepFloat = keepFloat ?? [],
            OutputPath = output,
        });

    /// <summary>The graph ONNX Runtime really executes on CPU after its optimisations (ORT_ENABLE_ALL).</summary>
    public static ModelProto OptimizedByOrt(string modelPath, string optimizedPath)
    {
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimizedPath })
        using (new InferenceSession(modelPath, options))
        {
        }

        return StaticQuantizer.LoadModel(optimizedPath);
    }
}
