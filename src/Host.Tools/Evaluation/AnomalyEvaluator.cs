using System.Diagnostics;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Scoring;
using Host.Tools.Evaluation.Components;
using Host.Tools.Metrics;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Evaluation;

/// <summary>
/// The paper's anomaly protocol: per image, Pillow-bilinear input at the model size, Pillow-NEAREST mask at the same
/// size (1 = anomaly, 0 = normal, rest ignored), images without an anomaly pixel skipped, one inference per image
/// feeding every score, pixels pooled per dataset into exact histograms (<see cref="ScoreHistogram"/>).
/// Decoding + preprocessing of the next image overlaps the inference of the current one; the scores of one image
/// are computed in parallel across methods.
/// </summary>
public sealed class AnomalyEvaluator
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public AnomalyEvaluator(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<AnomalyEvaluator>();
    }

    public AnomalyEvaluationReport Run(AnomalyEvaluationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var datasets = AnomalyDataset.Discover(settings.DataPath, settings.Datasets);
        var specs = ScoreSpec.Expand(settings.Methods, settings.Temperatures);
        var total = Stopwatch.StartNew();
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = settings.ModelPath, Providers = settings.Providers },
            _loggerFactory.CreateLogger<SegmentationSession>());
        if (session.HasHeads)
        {
            specs = [HeadsScore(settings.ModelPath, specs)];
            _logger.LogInformation("{Model} has heads: evaluating the score its graph computes, {Score}", settings.ModelPath, specs[0].Label);
        }

        var voidIndex = settings.VoidIndex ?? ModelVoidIndex(settings.ModelPath) ?? CityscapesClasses.VoidIndex;
        var scorers = specs.Select(s => s.CreateScorer(voidIndex)).ToArray();
        if (!session.HasHeads && specs.Any(s => s.Method == "VoidClass") && voidIndex >= session.ClassCount)
        {
            throw new ArgumentException($"--methods VoidClass: the model has {session.ClassCount} output channels, no void channel {voidIndex}.");
        }

        var results = new List<AnomalyResult>();
        var timings = new List<DatasetTiming>();
        var curves = new List<DatasetCurves>();
        foreach (var dataset in datasets)
        {
            EvaluateDataset(session, dataset, specs, scorers, settings, results, timings, curves, cancellationToken);
        }

        return new AnomalyEvaluationReport
        {
            Model = Path.GetFileNameWithoutExtension(settings.ModelPath),
            ModelPath = Path.GetFullPath(settings.ModelPath),
            Provider = session.Provider,
            Fpr95Convention = settings.Fpr95.ToString().ToLowerInvariant(),
            Results = results,
            Timing = timings,
            TotalSeconds = total.Elapsed.TotalSeconds,
            PeakWorkingSetBytes = PeakWorkingSet(),
            Created = DateTimeOffset.UtcNow,
            Curves = curves,
        };
    }

    private void EvaluateDataset(
        SegmentationSession session,
        AnomalyDataset dataset,
        IReadOnlyList<ScoreSpec> specs,
        IAnomalyScorer[] scorers,
        AnomalyEvaluationSettings settings,
        List<AnomalyResult> results,
        List<DatasetTiming> timings,
        List<DatasetCurves> curves,
        CancellationToken cancellationToken)
    {
        var (h, w) = (session.InputHeight, session.InputWidth);
        var pixels = h * w;
        var histograms = specs.Select(_ => new ScoreHistogram()).ToArray();
        var scoreBuffers = specs.Select(_ => new float[pixels]).ToArray();
        var preprocessor = new PaperPreprocessor(h, w);
        var tensors = new[] { new float[preprocessor.TensorLength], new float[preprocessor.TensorLength] };
        var wall = Stopwatch.StartNew();
        double inferenceSeconds = 0, scoringSeconds = 0;
        var componentSettings = ComponentSettings.ForDataset(dataset.Name, settings.MinSegmentPixels, settings.MinObjectPixels);
        var givenThresholds = specs.Select(s => settings.ComponentThresholdFor(s.Method)).ToArray();
        using var components = new ComponentPass(settings.Components ? specs.Count : 0, componentSettings, givenThresholds, pixels);
        if (settings.Components)
        {
            _logger.LogInformation(
                "{Dataset}: component metrics at {Width}x{Height}, min_segment_px {MinSegment}, min_object_px {MinObject}, thresholds {Thresholds}",
                dataset.Name, w, h, componentSettings.MinSegmentPixels, componentSettings.MinObjectPixels,
                string.Join(", ", specs.Select((s, i) => $"{s.Label} {(givenThresholds[i] is { } t ? t.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "best-F1")}")));
        }

        int evaluated = 0, skipped = 0, overlays = 0;
        var samples = dataset.Samples;
        _logger.LogInformation("{Dataset}: {Count} images, scores {Scores}", dataset.Name, samples.Count, string.Join(", ", specs.Select(s => s.Label)));

        using var progress = WorkProgress.Track(_logger, dataset.Name, samples.Count);
        // Prefetch: image i + 1 is decoded and preprocessed while image i runs.
        Task<LoadedSample>? next = samples.Count > 0 ? Task.Run(() => Load(samples[0], dataset, preprocessor, tensors[0], h, w), cancellationToken) : null;
        for (var i = 0; i < samples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loaded = next!.GetAwaiter().GetResult();
            var index = i + 1;
            next = index < samples.Count ? Task.Run(() => Load(samples[index], dataset, preprocessor, tensors[index % 2], h, w), cancellationToken) : null;
            if (!loaded.HasAnomaly)
            {
                skipped++;
                _logger.LogInformation("[{Dataset} {Index}/{Count}] {Image}: no anomaly pixel after resizing, skipped", dataset.Name, index, samples.Count, Path.GetFileName(loaded.Sample.ImagePath));
                progress.Advance($"{Path.GetFileName(loaded.Sample.ImagePath)}: skipped");
                continue;
            }

            var t0 = Stopwatch.GetTimestamp();
            loaded.Tensor.AsSpan().CopyTo(session.InputBuffer);
            session.Run();
            var t1 = Stopwatch.GetTimestamp();
            var source = loaded.Sample.ImagePath;
            if (session.HasHeads)
            {
                session.Scores.CopyTo(scoreBuffers[0]);
                histograms[0].Add(scoreBuffers[0], loaded.Labels, source);
                components.Add(0, scoreBuffers[0], loaded.Labels, w, h);
            }
            else
            {
                var logits = session.LogitsMemory;
                var channels = session.ClassCount;
                Parallel.For(0, scorers.Length, new ParallelOptions { CancellationToken = cancellationToken }, s =>
                {
                    scorers[s].Score(logits.Span, channels, scoreBuffers[s]);
                    histograms[s].Add(scoreBuffers[s], loaded.Labels, source);
                    components.Add(s, scoreBuffers[s], loaded.Labels, w, h);
                });
            }
            var t2 = Stopwatch.GetTimestamp();
            inferenceSeconds += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            scoringSeconds += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
            evaluated++;
            if (settings.OverlayDirectory is not null && overlays < settings.Overlays)
            {
                var file = Path.Combine(settings.OverlayDirectory, $"{dataset.Name}-{Path.GetFileNameWithoutExtension(source)}-{specs[0].Label.Replace(' ', '_').Replace("=", string.Empty, StringComparison.Ordinal)}.png");
                OverlayWriter.Write(loaded.Image, scoreBuffers[0], w, h, file);
                overlays++;
            }

            progress.Advance(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Path.GetFileName(source)}: inference {Stopwatch.GetElapsedTime(t0, t1).TotalSeconds:F3} s, scores {Stopwatch.GetElapsedTime(t1, t2).TotalSeconds:F3} s"));
        }

        var histogramBytes = histograms.Sum(hg => hg.StoredBytes);
        var metricsStart = Stopwatch.GetTimestamp();
        for (var s = 0; s < specs.Count; s++)
        {
            var distribution = histograms[s].ToDistribution();
            histograms[s] = new ScoreHistogram(); // release runs as soon as each is measured
            var m = AnomalyMetrics.Compute(distribution, settings.Fpr95);
            var component = evaluated > 0 ? components.Result(s, distribution, w, h, cancellationToken) : null;
            if (component is not null)
            {
                _logger.LogInformation(
                    "{Dataset} {Score}: components at threshold {Threshold:G6}: sIoU {SIoU:F2} PPV {Ppv:F2} mean F1 {F1:F2} ({Objects} objects, {Segments} segments)",
                    dataset.Name, specs[s].Label, component.Threshold, component.SIoUGt, component.Ppv, component.F1Mean, component.Objects, component.Segments);
            }

            results.Add(new AnomalyResult
            {
                Dataset = dataset.Name,
                Method = specs[s].Method,
                Temperature = specs[s].Temperature,
                Auprc = Percent(m.AuPrc),
                Fpr95 = Percent(m.Fpr95),
                Auroc = Percent(m.Auroc),
                Images = evaluated,
                Skipped = skipped,
                Pixels = m.Positives + m.Negatives,
                AnomalyPixels = m.Positives,
                DistinctScores = m.DistinctScores,
                Component = component,
            });
            curves.Add(new DatasetCurves(dataset.Name, specs[s], AnomalyMetrics.RocCurve(distribution), AnomalyMetrics.PrCurve(distribution)));
            _logger.LogInformation(
                "{Dataset} {Score}: AuPRC {AuPrc:F2} FPR95 {Fpr95:F2} AUROC {Auroc:F2} ({Images} images, {Skipped} skipped, {Pixels} pixels, {Distinct} distinct scores)",
                dataset.Name, specs[s].Label, m.AuPrc * 100, m.Fpr95 * 100, m.Auroc * 100, evaluated, skipped, m.Positives + m.Negatives, m.DistinctScores);
        }

        var metricsSeconds = Stopwatch.GetElapsedTime(metricsStart).TotalSeconds;
        wall.Stop();
        timings.Add(new DatasetTiming
        {
            Dataset = dataset.Name,
            Images = evaluated,
            Skipped = skipped,
            WallSeconds = wall.Elapsed.TotalSeconds,
            SecondsPerImage = wall.Elapsed.TotalSeconds / Math.Max(1, evaluated + skipped),
            InferenceSeconds = inferenceSeconds,
            ScoringSeconds = scoringSeconds,
            MetricsSeconds = metricsSeconds,
            ComponentSeconds = components.Seconds,
            HistogramBytes = histogramBytes,
            PeakWorkingSetBytes = PeakWorkingSet(),
        });
    }

    private static LoadedSample Load(AnomalySample sample, AnomalyDataset dataset, PaperPreprocessor preprocessor, float[] tensor, int height, int width)
    {
        var image = ImageLoader.Load(sample.ImagePath);
        var mask = LabelImage.Load(sample.MaskPath);
        if (mask.Width != image.Width || mask.Height != image.Height)
        {
            throw new InvalidDataException(
                $"Dataset {dataset.Name}: label mask '{sample.MaskPath}' is {mask.Width}x{mask.Height} but image '{sample.ImagePath}' is {image.Width}x{image.Height}; expected equal sizes.");
        }

        var labels = mask.ResizeNearest(width, height, dataset.LabelMap);
        var hasAnomaly = labels.AsSpan().Contains(AnomalyDataset.Anomaly);
        if (hasAnomaly)
        {
            preprocessor.Process(image, tensor);
        }

        return new LoadedSample(sample, image, labels, hasAnomaly, hasAnomaly ? tensor : null);
    }

    /// <summary>A heads model computes one score (card field <c>heads</c>): it must be among the requested ones.</summary>
    private static ScoreSpec HeadsScore(string modelPath, IReadOnlyList<ScoreSpec> requested)
    {
        var heads = ModelCard.Load(ModelCard.PathFor(modelPath)).Heads
            ?? throw new InvalidDataException($"Model '{modelPath}' outputs score and road but its card has no heads record; expected the card written with it.");
        var spec = new ScoreSpec(AnomalyScorerFactory.CanonicalName(heads.Scorer.ToString()), heads.Temperature);
        return requested.Contains(spec)
            ? spec
            : throw new ArgumentException($"--methods / --temperature: model '{modelPath}' computes only {spec.Label} in its graph, got [{string.Join(", ", requested.Select(r => r.Label))}]; ask for {spec.Method}{(spec.Temperature == 1.0 ? string.Empty : " with --temperature " + spec.Temperature.ToString(System.Globalization.CultureInfo.InvariantCulture))} or evaluate the plain model.");
    }

    private static int? ModelVoidIndex(string modelPath)
    {
        var card = ModelCard.PathFor(modelPath);
        if (!File.Exists(card))
        {
            return null;
        }

        try
        {
            return ModelCard.Load(card).VoidIndex;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static double? Percent(double value) => double.IsNaN(value) ? null : Math.Round(value * 100, 4);

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
