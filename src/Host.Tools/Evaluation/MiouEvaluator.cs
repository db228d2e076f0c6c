using System.Diagnostics;
using Edge.Runtime.Inference;
using Host.Tools.Metrics;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Evaluation;

/// <summary>
/// mIoU with the paper's preprocessing: Pillow-bilinear input at the model size, labels mapped to class indices and
/// resized Pillow-NEAREST to the model size, prediction = first-max argmax over every output channel (a void
/// prediction counts as a miss), ignore label 255.
/// </summary>
public sealed class MiouEvaluator
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public MiouEvaluator(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<MiouEvaluator>();
    }

    public MiouResult Run(string modelPath, SegmentationDataset dataset, IReadOnlyList<string> providers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var wall = Stopwatch.StartNew();
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = modelPath, Providers = providers },
            _loggerFactory.CreateLogger<SegmentationSession>());
        if (session.ClassCount < dataset.Classes.Count)
        {
            throw new ArgumentException($"Model '{modelPath}' has {session.ClassCount} output channels, fewer than the {dataset.Classes.Count} classes of {dataset.Name}.");
        }

        var (h, w) = (session.InputHeight, session.InputWidth);
        var preprocessor = new PaperPreprocessor(h, w);
        var matrix = new ConfusionMatrix(dataset.Classes.Count, session.ClassCount);
        var prediction = new byte[h * w];
        using var progress = WorkProgress.Track(_logger, dataset.Name, dataset.Samples.Count);
        for (var i = 0; i < dataset.Samples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sample = dataset.Samples[i];
            var image = ImageLoader.Load(sample.ImagePath);
            var label = LabelImage.Load(sample.LabelPath);
            if (label.Width != image.Width || label.Height != image.Height)
            {
                throw new InvalidDataException($"Label '{sample.LabelPath}' is {label.Width}x{label.Height} but image '{sample.ImagePath}' is {image.Width}x{image.Height}; expected equal sizes.");
            }

            var truth = label.ResizeNearest(w, h, dataset.LabelMap);
            preprocessor.Process(image, session.InputBuffer);
            session.Run();
            ConfusionMatrix.ArgMax(session.Logits, session.ClassCount, prediction);
            matrix.Add(truth, prediction);
            progress.Advance(Path.GetFileName(sample.ImagePath));
        }

        var iou = matrix.IoU();
        var perClass = new Dictionary<string, double?>();
        for (var c = 0; c < dataset.Classes.Count; c++)
        {
            perClass[dataset.Classes[c]] = double.IsNaN(iou[c]) ? null : Math.Round(iou[c] * 100, 4);
        }

        var mean = matrix.MeanIoU();
        return new MiouResult
        {
            Model = Path.GetFileNameWithoutExtension(modelPath),
            Dataset = dataset.Name,
            Miou = double.IsNaN(mean) ? null : Math.Round(mean * 100, 4),
            PerClass = perClass,
            Images = dataset.Samples.Count,
            Seconds = wall.Elapsed.TotalSeconds,
        };
    }
}
