using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Runtime.Inference;
using Edge.Runtime.IO;
using Host.Tools.Evaluation;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools miou</c>: mean IoU of a model on Cityscapes or CamVid.</summary>
public sealed class MiouCommand
{
    private static readonly Dictionary<string, Func<string, string?, SegmentationDataset>> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cityscapes"] = SegmentationDataset.Cityscapes,
        ["camvid"] = SegmentationDataset.CamVid,
    };

    private readonly ILoggerFactory _loggerFactory;

    public MiouCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model", Required = true };
        var data = new Option<string>("--data") { Description = "Cityscapes root (leftImg8bit/, gtFine/) or CamVid root (<split>/, <split>annot/)", Required = true };
        var format = new Option<string>("--format") { Description = "cityscapes or camvid", Required = true };
        var split = new Option<string?>("--split") { Description = "Split (default: cityscapes val, camvid test, else val / the only split)" };
        var json = new Option<string?>("--json") { Description = "Write the result as JSON to this file" };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [CpuExecutionProvider.ProviderName],
        };
        var command = new Command("miou", "Mean IoU of a segmentation model (paper preprocessing, ignore label 255)")
        {
            model, data, format, split, json, providers,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandRunner.Run(_loggerFactory, "miou", logger =>
        {
            var result = WorkProgress.Run(() => Run(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(format)!, parse.GetValue(split), parse.GetValue(providers)!, cancellationToken));
            foreach (var (name, iou) in result.PerClass)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(iou is null ? "  n/a" : iou.Value.ToString("F2", CultureInfo.InvariantCulture)),7} {name}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MEAN IoU: {result.Miou:F2}% ({result.Images} images, {result.Dataset})"));
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(result, EvaluationJson.Options);
                AtomicFile.Write(jsonPath, s => s.Write(bytes));
                logger.LogInformation("wrote {Json}", jsonPath);
            }

            return 0;
        })));
        return command;
    }

    public MiouResult Run(string modelPath, string data, string format, string? split, IReadOnlyList<string> providers, CancellationToken cancellationToken)
    {
        if (!Formats.TryGetValue(format, out var open))
        {
            throw new ArgumentException($"--format: expected one of {string.Join(", ", Formats.Keys)}, got '{format}'.");
        }

        return new MiouEvaluator(_loggerFactory).Run(modelPath, open(data, split), providers, cancellationToken);
    }
}
