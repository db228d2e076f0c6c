using System.Globalization;
using Edge.Runtime.Models;
using Google.Protobuf;
using Host.Tools.Export;
using Host.Tools.Optimization;
using Microsoft.Extensions.Logging;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Post-training static INT8 quantization of an exported ONNX model: fold BN, find the tensors ORT can run in int8,
/// calibrate them on images, and write the QDQ model (+ model card, + TensorRT calibration table for TensorRT).
/// </summary>
public sealed class StaticQuantizer
{
    /// <summary>Calibration images the sensitivity analysis runs on (each layer costs one model run per image).</summary>
    public const int SensitivityImages = 2;

    private readonly ILogger _logger;

    public StaticQuantizer(ILogger logger)
    {
        _logger = logger;
    }

    public static ModelProto LoadModel(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var model = ModelProto.Parser.ParseFrom(stream);
            if (model.Graph is null || model.Graph.Node.Count == 0)
            {
                throw new InvalidDataException($"Model '{path}': no graph nodes; not an ONNX model.");
            }

            return model;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"Model '{path}': not an ONNX protobuf ({ex.Message}).", ex);
        }
    }

    public QuantizationResult Quantize(QuantizeSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var target = settings.CreateTarget();
        var calibrator = settings.CreateCalibrator();
        var model = LoadModel(settings.ModelPath);
        CalibrationRunner.InputOf(model, settings.ModelPath);
        var images = CalibrationImages.Find(settings.CalibrationDirectory, settings.Count);

        int foldedBn;
        if (settings.RewriteGraph)
        {
            var keep = settings.KeepFloat.ToHashSet(StringComparer.Ordinal);
            var rewrites = GraphOptimizer.Apply(model, settings.FoldBatchNorm, convTranspose: n => !QdqCandidates.IsKept(n, keep));
            foldedBn = rewrites.FirstOrDefault(r => r.Key == "fold-batchnorm").Value;
            _logger.LogInformation("graph rewrites before calibration: {Rewrites}", string.Join(", ", rewrites.Select(r => $"{r.Key} {r.Value}")));
        }
        else
        {
            foldedBn = settings.FoldBatchNorm ? BatchNormFolder.Fold(model.Graph) : 0;
        }

        IReadOnlyList<string> keepFloat = settings.KeepFloat;
        var candidates = QdqCandidates.Find(model.Graph, keepFloat.ToHashSet(StringComparer.Ordinal), target.FoldReluIntoQuantize);
        _logger.LogInformation(
            "{Model}: {Activations} activations to calibrate ({Method}, {Images} images), {Weights} convolutions, {Relus} Relus folded, {Bn} BatchNorms folded",
            Path.GetFileName(settings.ModelPath), candidates.Activations.Count, calibrator.Name, images.Count, candidates.WeightedNodes.Count,
            candidates.FoldableRelus.Count, foldedBn);

        // Calibrate the float model (after BN folding, Relus still present: a folded Relu's output is what is measured).
        var stats = new CalibrationRunner(_logger).Collect(model, settings.ModelPath, candidates.CalibratedTensors, images, calibrator.NeedsHistogram, cancellationToken);

        var plan = BuildPlan(model, candidates, stats, calibrator, target);
        if (settings.KeepSensitive > 0)
        {
            var sensitivity = new SensitivityAnalyzer(_logger).Measure(model, settings.ModelPath, candidates, plan,
                images.Take(SensitivityImages).ToList(), cancellationToken);
            var kept = sensitivity.Take(settings.KeepSensitive).Select(s => s.Node).ToList();
            _logger.LogInformation("keeping the {Count} most sensitive convolutions in float: {Layers}", kept.Count,
                string.Join(", ", sensitivity.Take(settings.KeepSensitive).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Node} ({s.RelativeError:E2})"))));
            keepFloat = [.. keepFloat, .. kept];
            candidates = QdqCandidates.Find(model.Graph, keepFloat.ToHashSet(StringComparer.Ordinal), target.FoldReluIntoQuantize);
            plan = BuildPlan(model, candidates, stats, calibrator, target);
        }

        var tableScales = plan.Activations.Keys.Select(t =>
        {
            var (lo, hi) = calibrator.Range(stats[t]);
            return new KeyValuePair<string, float>(t, AffineQuantizer.Symmetric(lo, hi).Scale);
        }).ToList();

        QdqRewriter.Apply(model, plan);
        model.MetadataProps.Add(new StringStringEntryProto { Key = "edgeseg.quantization", Value = string.Create(CultureInfo.InvariantCulture,
            $"static int8 QDQ; target={target.Name}; method={calibrator.Name}; calibration_images={images.Count}; weights=int8 per-channel symmetric; activations={(target is CpuQuantizationTarget ? "uint8 asymmetric" : "int8 symmetric")}; bias={(target.QuantizeBias ? "int32" : "float")}; keep_float={string.Join(',', keepFloat)}") });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "edgeseg.quantization.source", Value = Path.GetFileName(settings.ModelPath) });
        OnnxExporter.Save(model, settings.OutputPath);
        WriteCard(settings.ModelPath, settings.OutputPath);

        string? tablePath = null;
        if (target.WritesCalibrationTable)
        {
            tablePath = Path.ChangeExtension(settings.OutputPath, ".calib.txt");
            TensorRtCalibrationTable.Write(tablePath, tableScales);
        }

        _logger.LogInformation("wrote {Path}: {Activations} activations, {Weights} weights quantized", settings.OutputPath, plan.Activations.Count, plan.Weights.Count);
        return new QuantizationResult(settings.OutputPath, plan.Activations.Count - plan.FoldedRelus.Count, plan.Weights.Count, plan.FoldedRelus.Count,
            foldedBn, images.Count, tablePath);
    }

    private static QuantizationPlan BuildPlan(ModelProto model, QdqCandidates candidates, IReadOnlyDictionary<string, TensorStatistics> stats,
        ICalibrator calibrator, IQuantizationTarget target)
    {
        var plan = new QuantizationPlan { QuantizeBias = target.QuantizeBias };
        foreach (var t in candidates.CalibratedTensors)
        {
            var (lo, hi) = calibrator.Range(stats[t]);
            plan.Activations[t] = target.ActivationParams(lo, hi);
        }

        foreach (var relu in candidates.FoldableRelus)
        {
            plan.FoldedRelus.Add(relu.Name);
        }

        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in candidates.WeightedNodes)
        {
            var w = initializers[node.Input[1]];
            var axis = node.OpType == "ConvTranspose" ? 1 : 0;
            var (values, scales) = AffineQuantizer.QuantizeWeightsPerChannel(OnnxTensors.ReadFloats(w), w.Dims.ToArray(), axis);
            plan.Weights[node.Input[1]] = new WeightQuantization(values, scales, new sbyte[scales.Length], axis);
        }

        return plan;
    }

    /// <summary>Copies the float model's card (if any) beside the quantized model with name and architecture updated.</summary>
    public static void WriteCard(string floatModelPath, string outputPath, string architectureSuffix = "-int8")
    {
        var cardPath = ModelCard.PathFor(floatModelPath);
        if (!File.Exists(cardPath))
        {
            return;
        }

        var card = ModelCard.Load(cardPath);
        var name = Path.GetFileNameWithoutExtension(outputPath);
        (card with { Name = name, Architecture = card.Architecture + architectureSuffix, Created = DateTimeOffset.UtcNow })
            .Save(ModelCard.PathFor(outputPath));
    }
}
