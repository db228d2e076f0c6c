using System.Diagnostics;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Hosting;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Pipeline.Scorers;
using Edge.Runtime.Tracking;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// The runtime's own hazard path, composed as <c>edgeseg run</c> composes it (<see cref="RuntimeComposition"/>): model card,
/// <see cref="ScoringResolver"/> (settings, then the card's operating point, then defaults), the shared scorers,
/// <see cref="OnnxFrameAnalyzer"/> (camera preprocessing, session, scorer, road labels, and the argmax labels when
/// the known-object filter or a sweep needs them), the drivable area of the
/// settings, <see cref="HazardExtractor"/> (threshold, road area, morphology, minimum area) and <see cref="HazardTracker"/>.
/// </summary>
public sealed class HazardPath : IDisposable
{
    private readonly OnnxFrameAnalyzer _analyzer;
    private readonly HazardExtractor _extractor;

    /// <param name="labels">Compute every pixel's argmax class even when these settings do not need it (a sweep whose
    /// other configurations do); by default only when <c>hazards.known_objects</c> is on, as in <c>edgeseg run</c>.</param>
    public HazardPath(string modelPath, RuntimeSettings settings, ILoggerFactory loggerFactory, bool labels = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"--model: model file not found: '{modelPath}' (run `make models`).", modelPath);
        }

        Card = ModelCard.Load(ModelCard.PathFor(modelPath));
        Settings = settings with { Model = settings.Model with { ModelPath = modelPath } };
        var errors = Settings.Validate(Card.Classes.Count)
            .Where(e => e.StartsWith("scoring", StringComparison.Ordinal) || e.StartsWith("hazards", StringComparison.Ordinal)
                        || e.StartsWith("tracking", StringComparison.Ordinal) || e.StartsWith("model", StringComparison.Ordinal))
            .ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid settings:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }

        Scoring = ScoringResolver.Resolve(Settings, Card);
        var scorer = new SharedScorerFactory(Scoring.Hazards.Sml).Create(Scoring.Method, Card, Scoring.Temperature);
        ScorerName = scorer.Name;
        var session = SegmentationSession.Create(Settings.Model, loggerFactory.CreateLogger<SegmentationSession>());
        try
        {
            _analyzer = new OnnxFrameAnalyzer(session, scorer, Scoring.Hazards.RoadArea.RoadClass, labels || Scoring.Hazards.KnownObjects.Enabled);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        _extractor = new HazardExtractor(Scoring.Hazards, Scoring.Threshold, RuntimeComposition.CreateDrivableArea(Scoring.Hazards.RoadArea));
        Map = new ScoreMap(_analyzer.MapWidth, _analyzer.MapHeight);
    }

    public ModelCard Card { get; }

    /// <summary>The settings with <c>model.path</c> set to the evaluated model.</summary>
    public RuntimeSettings Settings { get; }

    public ResolvedScoring Scoring { get; }

    public string ScorerName { get; }

    public string Provider => _analyzer.Provider;

    /// <summary>The last frame's scores and road labels.</summary>
    public ScoreMap Map { get; }

    public SegmentationSession Session => _analyzer.Session;

    /// <summary>A tracker with the settings' <c>tracking</c> section.</summary>
    public HazardTracker CreateTracker() => new(Settings.Tracking, Card.Name, ScorerName, "eval-");

    /// <summary>Preprocess, infer, score and label road for one BGR frame (into <see cref="Map"/>).</summary>
    public AnalyzerTimings Analyze(Mat bgr) => _analyzer.Analyze(bgr, Map);

    /// <summary>Hazards of <see cref="Map"/> for a frame of the given size; returns the milliseconds it took.</summary>
    public double Extract(int frameWidth, int frameHeight, List<Hazard> hazards)
    {
        var start = Stopwatch.GetTimestamp();
        _extractor.Extract(Map, frameWidth, frameHeight, hazards);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The pixels of the hazards the last <see cref="Extract"/> reported (map resolution, 255 = reported).</summary>
    public ReadOnlySpan<byte> ReportedMask() => _extractor.ReportedMask();

    public void Dispose()
    {
        _extractor.Dispose();
        _analyzer.Dispose();
    }
}
