using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Hosting;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Pipeline.Scorers;
using Edge.Runtime.Scoring;
using Edge.Runtime.Tracking;
using Host.Tools.Evaluation;
using Host.Tools.Evaluation.Components;
using Host.Tools.HazardEvaluation;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Host.Tools.Calibration;

/// <summary>
/// Chooses an operating point over the runtime's hazard path. Each frame of the sets is run through the network once
/// (camera preprocessing, as <c>edgeseg run</c>); every scorer's map and the road labels are kept. Then every candidate
/// (scorer × threshold × post-processing variant) runs <see cref="HazardExtractor"/> + the tracker (stills presented
/// confirm_frames times) over the kept maps, is matched with <see cref="AlertMatcher"/> and measured with
/// <see cref="ComponentMetrics"/> on the extractor's mask; the objective picks one on the chosen sets, and the choice is
/// reported on the check sets (leave-one-set-out).
/// </summary>
public sealed class HazardCalibrator
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public HazardCalibrator(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<HazardCalibrator>();
    }

    public HazardCalibrationResult Run(HazardCalibrationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ChooseOn.Count == 0)
        {
            throw new ArgumentException("--choose-on: expected at least one set name, got none.");
        }

        if (settings.Scorers.Count == 0 || settings.Variants.Count == 0)
        {
            throw new ArgumentException($"--scorers / --variants: expected at least one of each, got {settings.Scorers.Count} scorer(s), {settings.Variants.Count} variant(s).");
        }

        var overlap = settings.ChooseOn.Intersect(settings.CheckOn, StringComparer.OrdinalIgnoreCase).ToList();
        if (overlap.Count > 0)
        {
            throw new ArgumentException($"--check-on: expected sets not chosen on (leave one set out), got {string.Join(", ", overlap)} in both.");
        }

        var runtime = RuntimeSettings.Load(settings.ConfigPath);
        var card = ModelCard.Load(ModelCard.PathFor(settings.ModelPath));
        var temperature = settings.Temperature ?? runtime.Scoring.Temperature ?? card.Temperature ?? 1.0;
        var factory = new SharedScorerFactory(runtime.Hazards.Sml);
        var scorers = settings.Scorers.Select(s => factory.Create(s, card, AnomalyScorerFactory.UsesTemperature(s) ? temperature : 1.0)).ToArray();
        var variants = settings.Variants.Select((v, i) =>
        {
            var (hazards, _) = ScoringResolver.Merge(runtime.Hazards, v, new HashSet<string>());
            var errors = hazards.Validate($"--variants[{i}]", card.Classes.Count).ToList();
            return errors.Count > 0 ? throw new ArgumentException(string.Join("; ", errors)) : hazards;
        }).ToArray();

        var all = AnomalyDataset.Discover(settings.DataPath, [.. settings.ChooseOn, .. settings.CheckOn]);
        var chooseSets = all.Where(d => settings.ChooseOn.Contains(d.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        var checkSets = all.Where(d => settings.CheckOn.Contains(d.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        var modelSettings = runtime.Model with { ModelPath = settings.ModelPath };
        using var session = SegmentationSession.Create(modelSettings, _loggerFactory.CreateLogger<SegmentationSession>());
        using var analyzer = new OnnxFrameAnalyzer(session, scorers[0], runtime.Hazards.RoadArea.RoadClass, labels: true);

        var chosenFrames = chooseSets.Select(d => (d.Name, Frames: Cache(analyzer, scorers, d, cancellationToken))).ToList();
        var thresholds = scorers.Select((_, s) => Quantiles(chosenFrames.SelectMany(c => c.Frames), s, settings.Quantiles)).ToArray();
        var candidates = new List<HazardCandidate>();
        for (var s = 0; s < scorers.Length; s++)
        {
            foreach (var t in thresholds[s])
            {
                for (var v = 0; v < variants.Length; v++)
                {
                    candidates.Add(new HazardCandidate { Scorer = scorers[s].Name, Temperature = scorers[s].Temperature, Threshold = t, Variant = v, Hazards = variants[v] });
                }
            }
        }

        _logger.LogInformation("{Count} candidates ({Scorers} scorer(s) x {Thresholds} thresholds x {Variants} variant(s)) on {Sets}, objective {Objective}",
            candidates.Count, scorers.Length, settings.Quantiles.Count, variants.Length, string.Join(", ", chooseSets.Select(d => d.Name)), settings.Objective.Name);
        var rows = new List<CandidateRow>();
        CandidateRow? best = null;
        HazardCandidate? bestCandidate = null;
        using var progress = WorkProgress.Track(_logger, "candidates", candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var c = candidates[i];
            var s = Array.FindIndex(scorers, x => x.Name == c.Scorer);
            var figures = chosenFrames.Select(set => Measure(c, s, set.Name, set.Frames, runtime.Tracking, card.Name)).ToList();
            var row = new CandidateRow(c.Scorer, c.Threshold, c.Variant, figures, settings.Objective.Value(figures));
            rows.Add(row);
            if (best is null || settings.Objective.Better(figures, best.Figures))
            {
                best = row;
                bestCandidate = c;
            }

            progress.Advance(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"best so far {best.Scorer} >= {best.Threshold:G5} variant {best.Variant}: objective {best.Objective}"));
        }

        chosenFrames.Clear();
        var chosen = bestCandidate!;
        var check = new List<CandidateFigures>();
        foreach (var set in checkSets)
        {
            var s = Array.FindIndex(scorers, x => x.Name == chosen.Scorer);
            var frames = Cache(analyzer, scorers, set, cancellationToken);
            check.Add(Measure(chosen, s, set.Name, frames, runtime.Tracking, card.Name));
        }

        var point = new OperatingPoint
        {
            Scorer = chosen.Scorer,
            Temperature = chosen.Temperature,
            Threshold = chosen.Threshold,
            Hazards = (JsonObject)JsonSerializer.SerializeToNode(chosen.Hazards, RuntimeSettings.JsonOptions)!,
            Objective = settings.Objective is RecallAtFewestFalseAlertsObjective r ? $"{settings.Objective.Name} (recall >= {r.MinRecall:G3})" : settings.Objective.Name,
            ChosenOn = [.. chooseSets.Select(d => d.Name)],
            Figures = [.. best!.Figures.Concat(check).Select(f => ToCard(f, settings.Objective))],
            Created = DateTimeOffset.UtcNow,
        };
        return new HazardCalibrationResult { OperatingPoint = point, ChosenFigures = best.Figures, CheckFigures = check, Candidates = rows };
    }

    /// <summary>Figures of a set as written into the card.</summary>
    public static OperatingPointFigures ToCard(CandidateFigures f, IHazardObjective objective)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(objective);
        return new OperatingPointFigures
        {
            Set = f.Set,
            Frames = f.Frames,
            Objects = f.Objects,
            Found = f.Found,
            Alerts = f.Alerts,
            TrueAlerts = f.TrueAlerts,
            FalseAlerts = f.FalseAlerts,
            Objective = objective.Value([f]) is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null,
        };
    }

    private static CandidateFigures Measure(HazardCandidate candidate, int scorer, string set, IReadOnlyList<CachedFrame> frames, TrackingSettings tracking, string model)
    {
        var first = frames[0];
        var map = new ScoreMap(first.MapWidth, first.MapHeight);
        using var extractor = new HazardExtractor(candidate.Hazards, candidate.Threshold, RuntimeComposition.CreateDrivableArea(candidate.Hazards.RoadArea));
        using var components = new ComponentMetrics(ComponentSettings.ForDataset(set));
        var hazards = new List<Hazard>();
        int objects = 0, found = 0, alerts = 0, trueAlerts = 0;
        double extractMs = 0;
        foreach (var frame in frames)
        {
            frame.Scores[scorer].CopyTo(map.Scores, 0);
            frame.Road.CopyTo(map.Road, 0);
            frame.Classes.CopyTo(map.Labels, 0);
            map.HasLabels = true;
            var start = Stopwatch.GetTimestamp();
            extractor.Extract(map, frame.Labels.Width, frame.Labels.Height, hazards);
            extractMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var boxes = HazardEvaluator.Publish(new HazardTracker(tracking, model, candidate.Scorer, "cal-"), tracking.ConfirmFrames, frame.Labels.Width, frame.Labels.Height, hazards, out _);
            var match = AlertMatcher.Match(frame.Labels, boxes);
            components.Accumulate(extractor.ReportedMask(), frame.MapLabels, map.Width, map.Height);
            objects += match.ObjectCount;
            found += match.FoundCount;
            alerts += match.AlertCount;
            trueAlerts += match.TrueAlerts;
        }

        var result = components.ToResult(candidate.Threshold);
        return new CandidateFigures
        {
            Set = set,
            Frames = frames.Count,
            Objects = objects,
            Found = found,
            Alerts = alerts,
            TrueAlerts = trueAlerts,
            ComponentF1 = result.F1Mean,
            ComponentSIoU = result.SIoUGt,
            ComponentPpv = result.Ppv,
            ExtractMs = extractMs / frames.Count,
        };
    }

    private static float[] Quantiles(IEnumerable<CachedFrame> frames, int scorer, IReadOnlyList<double> quantiles)
    {
        var sample = new List<float>();
        foreach (var frame in frames)
        {
            var scores = frame.Scores[scorer];
            for (var i = 0; i < scores.Length; i += 61)
            {
                if (float.IsFinite(scores[i]))
                {
                    sample.Add(scores[i]);
                }
            }
        }

        sample.Sort();
        return [.. quantiles.Select(q => sample.Count == 0 ? 0f : sample[Math.Clamp((int)Math.Round(q * (sample.Count - 1)), 0, sample.Count - 1)]).Distinct()];
    }

    private List<CachedFrame> Cache(OnnxFrameAnalyzer analyzer, IAnomalyScorer[] scorers, AnomalyDataset set, CancellationToken cancellationToken)
    {
        if (set.Samples.Count == 0)
        {
            throw new InvalidDataException($"Dataset '{set.Root}': no images in {Path.Combine(set.Root, "images")}.");
        }

        var map = new ScoreMap(analyzer.MapWidth, analyzer.MapHeight);
        var frames = new List<CachedFrame>(set.Samples.Count);
        using var progress = WorkProgress.Track(_logger, $"{set.Name} scoring", set.Samples.Count);
        for (var i = 0; i < set.Samples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sample = set.Samples[i];
            using var bgr = HazardLabels.ReadImage(sample.ImagePath);

            var labels = HazardLabels.Load(sample.MaskPath, set.LabelMap, bgr.Width, bgr.Height, _logger);
            analyzer.Analyze(bgr, map);
            var scores = new float[scorers.Length][];
            scores[0] = (float[])map.Scores.Clone();
            for (var s = 1; s < scorers.Length; s++)
            {
                scores[s] = new float[map.PixelCount];
                scorers[s].Score(analyzer.Session.Logits, analyzer.Session.ClassCount, scores[s]);
            }

            var mapLabels = HazardLabels.AtMapSize(labels, map.Width, map.Height);
            frames.Add(new CachedFrame(labels, mapLabels, scores, (byte[])map.Road.Clone(), (byte[])map.Labels.Clone(), map.Width, map.Height));
            progress.Advance(Path.GetFileName(sample.ImagePath));
        }

        return frames;
    }

    private sealed record CachedFrame(LabelComponents Labels, byte[] MapLabels, float[][] Scores, byte[] Road, byte[] Classes, int MapWidth, int MapHeight);
}
