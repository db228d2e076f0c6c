using Google.Protobuf;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Runs the float model with ONNX Runtime on calibration images (paper preprocessing) and collects statistics of the
/// requested intermediate tensors, which a copy of the model exposes as extra graph outputs. Pass 1: min/max;
/// pass 2 (only when a histogram is needed): value and |value| histograms over the pass-1 range.
/// </summary>
public sealed class CalibrationRunner
{
    private readonly ILogger _logger;

    public CalibrationRunner(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>The model input [1, 3, H, W] with fixed H and W, or a clear error naming the model.</summary>
    public static (string Name, int Height, int Width) InputOf(ModelProto model, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new InvalidDataException($"Model '{modelName}': expected exactly one input, got {inputs.Count} [{string.Join(", ", inputs.Select(i => i.Name))}].");
        }

        var input = inputs[0];
        var dims = input.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray() ?? [];
        if (input.Type?.TensorType?.ElemType != (int)TensorProto.Types.DataType.Float || dims.Length != 4 || dims[0] != 1 || dims[1] != 3 || dims[2] < 1 || dims[3] < 1)
        {
            throw new InvalidDataException(
                $"Model '{modelName}': input '{input.Name}' expected float32 [1, 3, H, W] with fixed H and W for calibration, got [{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}].");
        }

        return (input.Name, (int)dims[2], (int)dims[3]);
    }

    public IReadOnlyDictionary<string, TensorStatistics> Collect(ModelProto model, string modelName, IReadOnlyList<string> tensors,
        IReadOnlyList<string> images, bool histograms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(images);
        var (inputName, height, width) = InputOf(model, modelName);
        var copy = model.Clone();
        var existing = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tensors.Where(t => !existing.Contains(t)))
        {
            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = t,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        var stats = tensors.ToDictionary(t => t, t => new TensorStatistics(t), StringComparer.Ordinal);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
        using var session = new InferenceSession(copy.ToByteArray(), options);
        var graphInputs = new HashSet<string>(model.Graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        var outputNames = tensors.Where(t => !graphInputs.Contains(t)).ToArray();
        var preprocessor = new PaperPreprocessor(height, width);
        var input = new float[3 * height * width];

        var passes = histograms ? 2 : 1;
        for (var pass = 1; pass <= passes; pass++)
        {
            if (pass == 2)
            {
                foreach (var s in stats.Values)
                {
                    s.StartHistograms();
                }
            }

            using var progress = WorkProgress.Track(_logger, $"calibration pass {pass}/{passes}", images.Count);
            for (var i = 0; i < images.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                preprocessor.Process(ImageLoader.Load(images[i]), input);
                using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, height, width]);
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, [inputName], [inputValue], outputNames);
                var k = 0;
                foreach (var value in results)
                {
                    var data = value.GetTensorDataAsSpan<float>();
                    Observe(stats[outputNames[k++]], data, pass);
                }

                if (graphInputs.Contains(inputName) && stats.TryGetValue(inputName, out var inputStats))
                {
                    Observe(inputStats, input, pass);
                }

                progress.Advance(Path.GetFileName(images[i]));
            }
        }

        return stats;
    }

    private static void Observe(TensorStatistics s, ReadOnlySpan<float> data, int pass)
    {
        if (pass == 1)
        {
            s.ObserveRange(data);
        }
        else
        {
            s.ObserveHistogram(data);
        }
    }
}
