using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Tracking;
using Host.Tools.Evaluation;
using Host.Tools.Evaluation.Components;
using Host.Tools.Preprocessing;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// Runs <see cref="HazardPath"/> over labelled sets and clips and counts what a driver would get. A labelled still is
/// decoded as <c>edgeseg run</c>'s folder source decodes it (BGR), presented to a fresh tracker
/// <c>tracking.confirm_frames</c> times (a parked camera), and the published alerts are the tracker's confirmed
/// hazards of that frame, matched by <see cref="AlertMatcher"/>. A clip runs frame after frame through one tracker:
/// every confirmed hazard (a <c>new</c> event) counts, per minute of video.
/// </summary>
public sealed class HazardEvaluator
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public HazardEvaluator(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<HazardEvaluator>();
    }

    public HazardEvaluationReport Run(HazardEvaluationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Data.Count == 0)
        {
            throw new ArgumentException("--data: expected at least one dataset folder or video file, got none.");
        }

        var videos = new List<string>();
        var sets = new List<AnomalyDataset>();
        foreach (var data in settings.Data)
        {
            if (File.Exists(data))
            {
                videos.Add(Path.GetFullPath(data));
            }
            else
            {
                sets.AddRange(AnomalyDataset.Discover(data, settings.Sets.Count > 0 ? settings.Sets : null));
            }
        }

        foreach (var set in sets.Where(s => s.Samples.Count == 0))
        {
            throw new InvalidDataException($"Dataset '{set.Root}': no images in {Path.Combine(set.Root, "images")}.");
        }

        var runtime = RuntimeSettings.Load(settings.ConfigPath);
        using var path = new HazardPath(settings.ModelPath, runtime, _loggerFactory);
        _logger.LogInformation("evaluate-hazards {Model}: {Scorer} (T = {Temperature}) threshold {Threshold} from {Origin}; {Sets} set(s), {Videos} video(s)",
            path.Card.Name, path.ScorerName, path.Scoring.Temperature, path.Scoring.Threshold, path.Scoring.ThresholdOrigin, sets.Count, videos.Count);
        var setReports = new List<HazardSetReport>();
        foreach (var set in sets)
        {
            setReports.Add(EvaluateSet(path, set, settings, cancellationToken));
        }

        var videoReports = videos.Select(v => EvaluateVideo(path, v, settings, cancellationToken)).ToList();
        return new HazardEvaluationReport
        {
            Model = Path.GetFileNameWithoutExtension(settings.ModelPath),
            ModelPath = Path.GetFullPath(settings.ModelPath),
            Config = settings.ConfigPath is null ? null : Path.GetFullPath(settings.ConfigPath),
            Provider = path.Provider,
            Scorer = path.ScorerName,
            Temperature = path.Scoring.Temperature,
            Threshold = path.Scoring.Threshold,
            ThresholdOrigin = path.Scoring.ThresholdOrigin,
            UsesOperatingPoint = path.Scoring.UsesOperatingPoint,
            Hazards = (JsonObject)JsonSerializer.SerializeToNode(path.Scoring.Hazards, RuntimeSettings.JsonOptions)!,
            Tracking = (JsonObject)JsonSerializer.SerializeToNode(path.Settings.Tracking, RuntimeSettings.JsonOptions)!,
            StillRepeats = path.Settings.Tracking.ConfirmFrames,
            Sets = setReports,
            Videos = videoReports,
            Created = DateTimeOffset.UtcNow,
            LoadAverage = ReadLoadAverage(),
        };
    }

    /// <summary>The first three fields of /proc/loadavg, or null where there is none.</summary>
    public static string? ReadLoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Presents a still to a fresh tracker confirm_frames times; the confirmed hazards of the last presentation.</summary>
    public static IReadOnlyList<BoundingBox> Publish(HazardTracker tracker, int confirmFrames, int width, int height, IReadOnlyList<Hazard> hazards, out double trackMs)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var events = new List<HazardEvent>();
        var start = Stopwatch.GetTimestamp();
        tracker.Update(1, Epoch, width, height, hazards, events);
        trackMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        for (var frame = 2; frame <= confirmFrames; frame++)
        {
            tracker.Update(frame, Epoch.AddSeconds(frame - 1), width, height, hazards, events);
        }

        var boxes = tracker.Active.Where(a => a.LastFrameId == confirmFrames).Select(a => a.Latest.Bbox).ToList();
        tracker.EndAll(confirmFrames, Epoch.AddSeconds(confirmFrames), width, height, events);
        return boxes;
    }

    private HazardSetReport EvaluateSet(HazardPath path, AnomalyDataset set, HazardEvaluationSettings settings, CancellationToken cancellationToken)
    {
        var frames = new List<HazardFrameResult>(set.Samples.Count);
        var matches = new List<FrameMatch>(set.Samples.Count);
        var hazards = new List<Hazard>();
        var confirm = path.Settings.Tracking.ConfirmFrames;
        var clock = Stopwatch.StartNew();
        using var components = new ComponentMetrics(ComponentSettings.ForDataset(set.Name));
        using var progress = WorkProgress.Track(_logger, set.Name, set.Samples.Count);
        for (var i = 0; i < set.Samples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sample = set.Samples[i];
            using var bgr = HazardLabels.ReadImage(sample.ImagePath);
            var labels = HazardLabels.Load(sample.MaskPath, set.LabelMap, bgr.Width, bgr.Height, _logger);
            var timings = path.Analyze(bgr);
            var extractMs = path.Extract(bgr.Width, bgr.Height, hazards);
            var boxes = Publish(path.CreateTracker(), confirm, bgr.Width, bgr.Height, hazards, out var trackMs);
            var match = AlertMatcher.Match(labels, boxes);
            var mapLabels = HazardLabels.AtMapSize(labels, path.Map.Width, path.Map.Height);
            components.Accumulate(path.ReportedMask(), mapLabels, path.Map.Width, path.Map.Height);
            matches.Add(match);
            frames.Add(new HazardFrameResult
            {
                Image = Path.GetFileName(sample.ImagePath),
                Objects = match.ObjectCount,
                Found = match.FoundCount,
                Alerts = match.AlertCount,
                TrueAlerts = match.TrueAlerts,
                FalseAlerts = match.FalseAlerts,
                UnlabelledAlerts = match.UnlabelledAlerts,
                Times = new StepTimes { PreprocessMs = timings.PreprocessMs, InferenceMs = timings.InferenceMs, ScoreMs = timings.ScoreMs, ExtractMs = extractMs, TrackMs = trackMs },
            });
            progress.Advance($"{Path.GetFileName(sample.ImagePath)}: found {match.FoundCount}/{match.ObjectCount}, alerts {match.AlertCount} ({match.TrueAlerts} true, {match.FalseAlerts} false)");
        }

        var overlays = new List<string>();
        if (settings.OverlayDirectory is { } dir && settings.Overlays > 0)
        {
            var worst = Enumerable.Range(0, frames.Count)
                .Where(i => frames[i].Badness > 0)
                .OrderByDescending(i => frames[i].Badness).ThenBy(i => i)
                .Take(settings.Overlays);
            foreach (var i in worst)
            {
                var sample = set.Samples[i];
                using var bgr = HazardLabels.ReadImage(sample.ImagePath);
                var labels = HazardLabels.Load(sample.MaskPath, set.LabelMap, bgr.Width, bgr.Height, _logger);
                var file = Path.Combine(dir, $"{set.Name}-worst-{overlays.Count + 1}-{Path.GetFileNameWithoutExtension(sample.ImagePath)}.png");
                HazardOverlayWriter.Write(bgr, labels, matches[i], file);
                overlays.Add(Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(dir))!, Path.GetFullPath(file)));
            }
        }

        var hits = new List<string>();
        if (settings.OverlayDirectory is { } hitDir && settings.Overlays > 0)
        {
            var best = Enumerable.Range(0, frames.Count)
                .Where(i => frames[i].Found > 0)
                .OrderByDescending(i => frames[i].Found - frames[i].FalseAlerts).ThenBy(i => i)
                .Take(2);
            foreach (var i in best)
            {
                var sample = set.Samples[i];
                using var bgr = HazardLabels.ReadImage(sample.ImagePath);
                var labels = HazardLabels.Load(sample.MaskPath, set.LabelMap, bgr.Width, bgr.Height, _logger);
                var file = Path.Combine(hitDir, $"{set.Name}-hit-{hits.Count + 1}-{Path.GetFileNameWithoutExtension(sample.ImagePath)}.png");
                HazardOverlayWriter.Write(bgr, labels, matches[i], file);
                hits.Add(Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(hitDir))!, Path.GetFullPath(file)));
            }
        }

        var report = new HazardSetReport
        {
            Set = set.Name,
            Frames = frames.Count,
            Objects = frames.Sum(f => f.Objects),
            Found = frames.Sum(f => f.Found),
            Alerts = frames.Sum(f => f.Alerts),
            TrueAlerts = frames.Sum(f => f.TrueAlerts),
            FalseAlerts = frames.Sum(f => f.FalseAlerts),
            UnlabelledAlerts = frames.Sum(f => f.UnlabelledAlerts),
            Times = StepTimes.Mean([.. frames.Select(f => f.Times)]),
            Component = components.ToResult(path.Scoring.Threshold),
            Overlays = overlays,
            Hits = hits,
            FrameResults = frames,
        };
        _logger.LogInformation("{Set}: found {Found}/{Objects}, {Alerts} alerts ({True} true, {PerFrame:F2} false per frame), component sIoU {SIoU:F1} PPV {Ppv:F1} mean F1 {F1:F1}, hazard path {Ms:F2} ms/frame ({Seconds:F0} s)",
            set.Name, report.Found, report.Objects, report.Alerts, report.TrueAlerts, report.FalseAlertsPerFrame, report.Component.SIoUGt, report.Component.Ppv, report.Component.F1Mean, report.Times.HazardPathMs, clock.Elapsed.TotalSeconds);
        return report;
    }

    private HazardVideoReport EvaluateVideo(HazardPath path, string video, HazardEvaluationSettings settings, CancellationToken cancellationToken)
    {
        var maxFrames = settings.MaxVideoFrames;
        var overlays = new List<string>();
        using var capture = new VideoCapture(video);
        if (!capture.IsOpened())
        {
            throw new InvalidDataException($"Video '{video}': cannot be opened or decoded.");
        }

        var fps = capture.Fps;
        if (!(fps > 0 && double.IsFinite(fps)))
        {
            throw new InvalidDataException($"Video '{video}': no frame rate in the container (got {fps}); false hazards per minute need one.");
        }

        var total = capture.FrameCount;
        var tracker = path.CreateTracker();
        var events = new List<HazardEvent>();
        var hazards = new List<Hazard>();
        var times = new List<StepTimes>();
        using var frame = new Mat();
        int frames = 0, raw = 0, confirmed = 0;
        using var progress = WorkProgress.Track(_logger, Path.GetFileName(video), (int)Math.Min(maxFrames ?? long.MaxValue, Math.Max(total, 1)));
        while ((maxFrames is null || frames < maxFrames) && capture.Read(frame) && !frame.Empty())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var timings = path.Analyze(frame);
            var extractMs = path.Extract(frame.Width, frame.Height, hazards);
            events.Clear();
            var start = Stopwatch.GetTimestamp();
            tracker.Update(frames, Epoch.AddSeconds(frames / fps), frame.Width, frame.Height, hazards, events);
            var trackMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            raw += hazards.Count;
            var confirmedHere = events.Where(e => e.Type == HazardEventType.New).Select(e => e.Bbox).ToList();
            confirmed += confirmedHere.Count;
            if (confirmedHere.Count > 0 && settings.OverlayDirectory is { } dir && overlays.Count < settings.Overlays)
            {
                var file = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(video)}-frame{frames:D4}.png");
                HazardOverlayWriter.WriteClipFrame(frame, path.Map, hazards, confirmedHere, path.Scoring.Hazards.KnownObjects.Classes, file);
                overlays.Add(file);
            }

            times.Add(new StepTimes { PreprocessMs = timings.PreprocessMs, InferenceMs = timings.InferenceMs, ScoreMs = timings.ScoreMs, ExtractMs = extractMs, TrackMs = trackMs });
            frames++;
            progress.Advance($"frame {frames}: hazards confirmed so far {confirmed}");
        }

        if (frames == 0)
        {
            throw new InvalidDataException($"Video '{video}': no frame could be decoded.");
        }

        var report = new HazardVideoReport
        {
            Video = Path.GetFileName(video),
            Frames = frames,
            Fps = fps,
            RawHazards = raw,
            ConfirmedHazards = confirmed,
            Times = StepTimes.Mean(times),
            Overlays = overlays,
        };
        _logger.LogInformation("{Video}: {Frames} frames ({Minutes:F2} min), {Confirmed} confirmed hazards = {PerMinute:F2} per minute, hazard path {Ms:F2} ms/frame",
            report.Video, report.Frames, report.Minutes, report.ConfirmedHazards, report.HazardsPerMinute, report.Times.HazardPathMs);
        return report;
    }
}
