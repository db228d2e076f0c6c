using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Host.Tools.Calibration;
using Host.Tools.Evaluation;
using Host.Tools.Import;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Host.Tools.Training;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools calibrate-temperature</c>: the T minimising the NLL of labelled pixels (void ignored), reported
/// with NLL / ECE on the paper's grid, written into the model card's <c>temperature</c>.
/// </summary>
public sealed class CalibrateTemperatureCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public CalibrateTemperatureCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "Exported .onnx (its card beside it is updated), or an architecture id with --checkpoint", Required = true };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "PyTorch checkpoint (.pth) or trained weights (.weights) for an architecture --model" };
        var classes = new Option<int>("--classes") { Description = "Output channels (architecture --model)", DefaultValueFactory = _ => 20 };
        var input = new Option<string>("--input") { Description = "Input HEIGHTxWIDTH (architecture --model)", DefaultValueFactory = _ => "512x1024" };
        var data = new Option<string>("--data") { Description = "Labelled dataset folder", Required = true };
        var format = new Option<string>("--format") { Description = "cityscapes or camvid", Required = true };
        var split = new Option<string?>("--split") { Description = "Split (default: val, else the only one)" };
        var maxImages = new Option<int>("--max-images") { Description = "At most N images", DefaultValueFactory = _ => 50 };
        var stride = new Option<int>("--stride") { Description = "Keep every N-th labelled pixel", DefaultValueFactory = _ => 16 };
        var card = new Option<string?>("--card") { Description = "Model card to write T into (default: beside the .onnx)" };
        var command = new Command("calibrate-temperature", "Learn the softmax temperature (NLL) and report NLL/ECE on the paper's grid")
        {
            model, checkpoint, classes, input, data, format, split, maxImages, stride, card,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "calibrate-temperature", logger =>
        {
            var modelArg = parse.GetValue(model)!;
            using var source = CreateSource(modelArg, parse.GetValue(checkpoint), parse.GetValue(classes), parse.GetValue(input)!, logger);
            var dataset = parse.GetValue(format)!.ToLowerInvariant() switch
            {
                "cityscapes" => SegmentationDataset.Cityscapes(parse.GetValue(data)!, parse.GetValue(split)),
                "camvid" => SegmentationDataset.CamVid(parse.GetValue(data)!, parse.GetValue(split)),
                var other => throw new ArgumentException($"--format: expected cityscapes or camvid, got '{other}'."),
            };
            var pixels = WorkProgress.Run(() => Collect(source, dataset, parse.GetValue(maxImages), parse.GetValue(stride), logger));
            var t = TemperatureScaling.Fit(pixels);
            logger.LogInformation("{Pixels} pixels: T = {T:F4}, NLL {Nll:F4} (T=1: {Nll1:F4}), ECE {Ece:F4} (T=1: {Ece1:F4})", pixels.Count, t,
                TemperatureScaling.Nll(pixels, t), TemperatureScaling.Nll(pixels, 1), TemperatureScaling.Ece(pixels, t), TemperatureScaling.Ece(pixels, 1));
            foreach (var g in TemperatureScaling.PaperGrid)
            {
                logger.LogInformation("grid T = {T}: NLL {Nll:F4}, ECE {Ece:F4}", g, TemperatureScaling.Nll(pixels, g), TemperatureScaling.Ece(pixels, g));
            }

            var cardPath = parse.GetValue(card) ?? (modelArg.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? ModelCard.PathFor(modelArg) : null);
            if (cardPath is not null)
            {
                var updated = ModelCard.Load(cardPath) with { Temperature = Math.Round(t, 4) };
                updated.Save(cardPath);
                logger.LogInformation("wrote temperature {T:F4} into {Card}", updated.Temperature, cardPath);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    internal static CalibrationPixels Collect(ILogitSource source, SegmentationDataset dataset, int maxImages, int stride, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var preprocessor = new PaperPreprocessor(source.Height, source.Width);
        var chw = new float[preprocessor.TensorLength];
        var pixels = new CalibrationPixels(source.Classes);
        var count = Math.Min(maxImages, dataset.Samples.Count);
        using var progress = WorkProgress.Track(logger, dataset.Name, count);
        for (var i = 0; i < count; i++)
        {
            var sample = dataset.Samples[i];
            preprocessor.Process(ImageLoader.Load(sample.ImagePath), chw);
            var labels = LabelImage.Load(sample.LabelPath).ResizeNearest(source.Width, source.Height, dataset.LabelMap);
            pixels.AddImage(source.Run(chw), source.Classes, labels, stride);
            progress.Advance(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Path.GetFileName(sample.ImagePath)}: {pixels.Count} pixels cached"));
        }

        return pixels;
    }

    private ILogitSource CreateSource(string model, string? checkpoint, int classes, string input, ILogger logger)
    {
        if (model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return new OnnxLogitSource(model, _loggerFactory.CreateLogger<OnnxLogitSource>());
        }

        var (h, w) = TrainingSettings.ParseSize(input);
        if (checkpoint is null)
        {
            throw new ArgumentException($"--model {model}: an architecture needs --checkpoint.");
        }

        var architecture = TrainingDatasets.Architecture(model);
        var network = checkpoint.EndsWith(".weights", StringComparison.OrdinalIgnoreCase)
            ? Models.NetworkFactory.Create(architecture, classes)
            : NetworkImporter.Load(architecture, checkpoint, classes);
        if (checkpoint.EndsWith(".weights", StringComparison.OrdinalIgnoreCase))
        {
            network.load(checkpoint);
        }

        logger.LogInformation("{Architecture} from {Checkpoint} at {H}x{W}", architecture, checkpoint, h, w);
        return new NetworkLogitSource(network, h, w, $"{architecture} ({checkpoint})");
    }
}
