using Google.Protobuf;
using Host.Tools.Preprocessing;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Layer-wise quantization sensitivity: for every quantized convolution, a copy of the float graph in which only that
/// convolution (its int8 weights, its input and output activations, a Relu folded into it) is quantized runs on the
/// calibration images, and the relative squared error of the graph output against the float graph is recorded. The
/// layers with the largest error are the ones worth keeping in float (<c>quantize --keep-sensitive K</c>).
/// </summary>
public sealed class SensitivityAnalyzer
{
    private readonly ILogger _logger;

    public SensitivityAnalyzer(ILogger logger)
    {
        _logger = logger;
    }

    public IReadOnlyList<LayerSensitivity> Measure(ModelProto floatModel, string modelName, QdqCandidates candidates, QuantizationPlan plan,
        IReadOnlyList<string> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(images);
        var (inputName, height, width) = CalibrationRunner.InputOf(floatModel, modelName);
        var outputName = floatModel.Graph.Output[0].Name;
        var preprocessor = new PaperPreprocessor(height, width);
        var inputs = images.Select(preprocessor.ProcessFile).ToList();
        var reference = Run(floatModel, inputName, outputName, inputs, height, width);
        var energy = reference.Sum(r => r.Sum(v => (double)v * v));

        var reluByInput = floatModel.Graph.Node.Where(n => plan.FoldedRelus.Contains(n.Name)).ToDictionary(n => n.Input[0], StringComparer.Ordinal);
        var results = new List<LayerSensitivity>();
        var index = 0;
        foreach (var node in candidates.WeightedNodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var single = new QuantizationPlan { QuantizeBias = plan.QuantizeBias };
            single.Weights[node.Input[1]] = plan.Weights[node.Input[1]];
            var output = node.Output[0];
            if (reluByInput.TryGetValue(output, out var relu))
            {
                single.FoldedRelus.Add(relu.Name);
                output = relu.Output[0];
            }

            foreach (var t in new[] { node.Input[0], output }.Where(plan.Activations.ContainsKey))
            {
                single.Activations[t] = plan.Activations[t];
            }

            if (!single.Activations.ContainsKey(node.Input[0]))
            {
                continue; // a convolution whose input stays float is not run in int8 anyway
            }

            var copy = floatModel.Clone();
            QdqRewriter.Apply(copy, single);
            var outputs = Run(copy, inputName, outputName, inputs, height, width);
            double error = 0;
            for (var i = 0; i < outputs.Count; i++)
            {
                for (var j = 0; j < outputs[i].Length; j++)
                {
                    var d = (double)outputs[i][j] - reference[i][j];
                    error += d * d;
                }
            }

            results.Add(new LayerSensitivity(node.Name, energy > 0 ? error / energy : error));
            _logger.LogInformation("sensitivity {Index}/{Count}: {Node} relative error {Error:E2}", ++index, candidates.WeightedNodes.Count, node.Name, results[^1].RelativeError);
        }

        return results.OrderByDescending(r => r.RelativeError).ToList();
    }

    private static List<float[]> Run(ModelProto model, string inputName, string outputName, IReadOnlyList<float[]> inputs, int height, int width)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var outputs = new List<float[]>(inputs.Count);
        foreach (var x in inputs)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(x, [1, 3, height, width]);
            using var runOptions = new RunOptions();
            using var result = session.Run(runOptions, [inputName], [value], [outputName]);
            outputs.Add(result[0].GetTensorDataAsSpan<float>().ToArray());
        }

        return outputs;
    }
}
