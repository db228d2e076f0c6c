using System.Diagnostics;
using System.Globalization;
using System.Text;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Hosting;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline.Scorers;
using Edge.Runtime.Scoring;
using Edge.Runtime.Tracking;
using Host.Tools.Evaluation;
using Host.Tools.Evaluation.Components;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// Many hazard-path configurations over the same frames with one inference per frame: the first configuration's
/// <see cref="HazardPath"/> runs the network; every configuration then scores the same logits with its own scorer and
/// runs its own <see cref="HazardExtractor"/> and tracker, counted exactly as <see cref="HazardEvaluator"/> counts
/// (objects found, true / false alerts, component metrics of the extractor's mask, confirmed hazards per minute on
/// clips). Used to compare the hazard options where running <c>evaluate-hazards</c> once per configuration would repeat
/// the inference.
/// </summary>
public sealed class HazardSweep
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public HazardSweep(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<HazardSweep>();
    }

    /// <summary>Runs every (name, settings) variant; returns the Markdown report.</summary>
    /// <param name="progress">Receives each table row as soon as its set or clip is done (long runs on a busy machine).</param>
    public string Run(string modelPath, IReadOnlyList<(string Name, RuntimeSettings Settings)> variants, IReadOnlyList<string> data, int? maxVideoFrames, CancellationToken cancellationToken, Action<string>? progress = null)
    {
        progress ??= _ => { };
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Count == 0)
        {
            throw new ArgumentException("--config: expected at least one configuration, got none.");
        }

        var sets = new List<AnomalyDataset>();
        var videos = new List<string>();
        foreach (var d in data)
        {
            if (File.Exists(d))
            {
                videos.Add(Path.GetFullPath(d));
            }
            else
            {
                sets.AddRange(AnomalyDataset.Discover(d));
            }
        }

        using var path = new HazardPath(modelPath, variants[0].Settings, _loggerFactory, labels: true);
        var states = variants.Select(v => new Variant(v.Name, modelPath, v.Settings, path.Card, path.Map.Width, path.Map.Height)).ToList();
        try
        {
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"# Hazard option sweep: {Path.GetFileNameWithoutExtension(modelPath)} ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load {HazardEvaluator.ReadLoadAverage()})");
            report.AppendLine();
            report.AppendLine("| variant | scorer | threshold | set | found / objects | alerts | true | false / frame | sIoU | PPV | mean F1 | score ms | extract ms |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var set in sets)
            {
                foreach (var v in states)
                {
                    v.BeginSet(set.Name);
                }

                using var imageProgress = WorkProgress.Track(_logger, set.Name, set.Samples.Count);
                for (var i = 0; i < set.Samples.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var sample = set.Samples[i];
                    using var bgr = HazardLabels.ReadImage(sample.ImagePath);

                    var labels = HazardLabels.Load(sample.MaskPath, set.LabelMap, bgr.Width, bgr.Height, _logger);
                    var mapLabels = HazardLabels.AtMapSize(labels, path.Map.Width, path.Map.Height);
                    path.Analyze(bgr);
                    foreach (var v in states)
                    {
                        v.Still(path.Session.Logits, path.Session.ClassCount, path.Map, bgr.Width, bgr.Height, labels, mapLabels);
                    }

                    imageProgress.Advance(Path.GetFileName(sample.ImagePath));
                }

                foreach (var v in states)
                {
                    var row = v.EndSet();
                    report.AppendLine(row);
                    progress(row);
                }
            }

            if (videos.Count > 0)
            {
                report.AppendLine();
                report.AppendLine("| variant | confirm frames | video | frames | raw hazards | confirmed hazards | per minute | score ms | extract ms |");
                report.AppendLine("|---|---|---|---|---|---|---|---|---|");
            }

            foreach (var video in videos)
            {
                using var capture = new VideoCapture(video);
                var fps = capture.Fps;
                if (!capture.IsOpened() || !(fps > 0))
                {
                    throw new InvalidDataException($"Video '{video}': cannot be opened, or has no frame rate.");
                }

                foreach (var v in states)
                {
                    v.BeginVideo();
                }

                using var frame = new Mat();
                var frames = 0;
                using var frameProgress = WorkProgress.Track(_logger, Path.GetFileName(video), (int)Math.Min(maxVideoFrames ?? long.MaxValue, Math.Max(capture.FrameCount, 1)));
                while ((maxVideoFrames is null || frames < maxVideoFrames) && capture.Read(frame) && !frame.Empty())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    path.Analyze(frame);
                    foreach (var v in states)
                    {
                        v.VideoFrame(frames, fps, path.Session.Logits, path.Session.ClassCount, path.Map, frame.Width, frame.Height);
                    }

                    frames++;
                    frameProgress.Advance($"frame {frames}");
                }

                foreach (var v in states)
                {
                    var row = v.EndVideo(Path.GetFileName(video), frames, fps);
                    report.AppendLine(row);
                    progress(row);
                }
            }

            return report.ToString();
        }
        finally
        {
            foreach (var v in states)
            {
                v.Dispose();
            }
        }
    }

    private sealed class Variant : IDisposable
    {
        private readonly string _name;
        private readonly RuntimeSettings _settings;
        private readonly ResolvedScoring _scoring;
        private readonly IAnomalyScorer _scorer;
        private readonly HazardExtractor _extractor;
        private readonly ScoreMap _map;
        private readonly ModelCard _card;
        private readonly List<Hazard> _hazards = [];
        private readonly List<HazardEvent> _events = [];
        private ComponentMetrics? _components;
        private HazardTracker? _tracker;
        private string _set = string.Empty;
        private int _frames, _objects, _found, _alerts, _true, _false, _raw, _confirmed;
        private double _scoreMs, _extractMs;

        public Variant(string name, string modelPath, RuntimeSettings settings, ModelCard card, int width, int height)
        {
            _name = name;
            _card = card;
            _settings = settings with { Model = settings.Model with { ModelPath = modelPath } };
            var errors = _settings.Validate(card.Classes.Count)
                .Where(e => e.StartsWith("scoring", StringComparison.Ordinal) || e.StartsWith("hazards", StringComparison.Ordinal) || e.StartsWith("tracking", StringComparison.Ordinal))
                .ToList();
            if (errors.Count > 0)
            {
                throw new ArgumentException($"Variant '{name}': {string.Join("; ", errors)}");
            }

            _scoring = ScoringResolver.Resolve(_settings, card);
            _scorer = new SharedScorerFactory(_scoring.Hazards.Sml).Create(_scoring.Method, card, _scoring.Temperature);
            _extractor = new HazardExtractor(_scoring.Hazards, _scoring.Threshold, RuntimeComposition.CreateDrivableArea(_scoring.Hazards.RoadArea));
            _map = new ScoreMap(width, height);
        }

        public void BeginSet(string set)
        {
            _set = set;
            _components?.Dispose();
            _components = new ComponentMetrics(ComponentSettings.ForDataset(set));
            _frames = _objects = _found = _alerts = _true = _false = 0;
            _scoreMs = _extractMs = 0;
        }

        public void Still(ReadOnlySpan<float> logits, int classes, ScoreMap analyzed, int width, int height, LabelComponents labels, byte[] mapLabels)
        {
            Process(logits, classes, analyzed, width, height);
            var tracker = new HazardTracker(_settings.Tracking, _card.Name, _scorer.Name, "sweep-");
            var boxes = HazardEvaluator.Publish(tracker, _settings.Tracking.ConfirmFrames, width, height, _hazards, out _);
            var match = AlertMatcher.Match(labels, boxes);
            _components!.Accumulate(_extractor.ReportedMask(), mapLabels, _map.Width, _map.Height);
            _frames++;
            _objects += match.ObjectCount;
            _found += match.FoundCount;
            _alerts += match.AlertCount;
            _true += match.TrueAlerts;
            _false += match.FalseAlerts;
        }

        public string EndSet()
        {
            var c = _components!.ToResult(_scoring.Threshold);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {_name} | {_scorer.Name} | {_scoring.Threshold:G4} | {_set} | {_found} / {_objects} | {_alerts} | {_true} | {(double)_false / _frames:F2} | {c.SIoUGt:F1} | {c.Ppv:F1} | {c.F1Mean:F1} | {_scoreMs / _frames:F1} | {_extractMs / _frames:F1} |");
        }

        public void BeginVideo()
        {
            _tracker = new HazardTracker(_settings.Tracking, _card.Name, _scorer.Name, "sweep-");
            _frames = _raw = _confirmed = 0;
            _scoreMs = _extractMs = 0;
        }

        public void VideoFrame(int index, double fps, ReadOnlySpan<float> logits, int classes, ScoreMap analyzed, int width, int height)
        {
            Process(logits, classes, analyzed, width, height);
            _events.Clear();
            _tracker!.Update(index, Epoch.AddSeconds(index / fps), width, height, _hazards, _events);
            _raw += _hazards.Count;
            _confirmed += _events.Count(e => e.Type == HazardEventType.New);
            _frames++;
        }

        public string EndVideo(string video, int frames, double fps) => string.Create(CultureInfo.InvariantCulture,
            $"| {_name} | {_settings.Tracking.ConfirmFrames} | {video} | {frames} | {_raw} | {_confirmed} | {_confirmed / (frames / fps / 60):F2} | {_scoreMs / Math.Max(1, _frames):F1} | {_extractMs / Math.Max(1, _frames):F1} |");

        public void Dispose()
        {
            _components?.Dispose();
            _extractor.Dispose();
            (_scorer as IDisposable)?.Dispose();
        }

        private void Process(ReadOnlySpan<float> logits, int classes, ScoreMap analyzed, int width, int height)
        {
            var start = Stopwatch.GetTimestamp();
            _scorer.Score(logits, classes, _map.Scores.AsSpan(0, _map.PixelCount));
            var scored = Stopwatch.GetTimestamp();
            analyzed.Road.AsSpan(0, _map.PixelCount).CopyTo(_map.Road);
            _map.HasLabels = _extractor.NeedsLabels && analyzed.HasLabels;
            if (_map.HasLabels)
            {
                analyzed.Labels.AsSpan(0, _map.PixelCount).CopyTo(_map.Labels);
            }
            _extractor.Extract(_map, width, height, _hazards);
            _extractMs += Stopwatch.GetElapsedTime(scored).TotalMilliseconds;
            _scoreMs += Stopwatch.GetElapsedTime(start, scored).TotalMilliseconds;
        }
    }
}
