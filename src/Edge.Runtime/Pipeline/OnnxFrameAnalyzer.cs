using System.Diagnostics;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Preprocessing;
using Edge.Runtime.Scoring;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// <see cref="CameraPreprocessor"/> into the session's input buffer → <see cref="SegmentationSession.Run"/> → scorer over
/// the logits → road labels (argmax = road class). Owns the session.
/// </summary>
public sealed class OnnxFrameAnalyzer : IFrameAnalyzer
{
    private readonly SegmentationSession _session;
    private readonly CameraPreprocessor _preprocessor;
    private readonly IAnomalyScorer _scorer;
    private readonly int _roadClass;
    private readonly float[] _best;

    public OnnxFrameAnalyzer(SegmentationSession session, IAnomalyScorer scorer, int roadClass)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(scorer);
        if (roadClass < 0 || roadClass >= session.ClassCount)
        {
            throw new ArgumentException($"hazards.road_area.road_class: expected 0..{session.ClassCount - 1}, got {roadClass}.", nameof(roadClass));
        }

        _session = session;
        _scorer = scorer;
        _roadClass = roadClass;
        _preprocessor = new CameraPreprocessor(session.InputHeight, session.InputWidth);
        _best = new float[session.InputHeight * session.InputWidth];
    }

    public string Provider => _session.Provider;

    public int MapWidth => _session.InputWidth;

    public int MapHeight => _session.InputHeight;

    public SegmentationSession Session => _session;

    public AnalyzerTimings Analyze(Mat bgr, ScoreMap map)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(map);
        var start = Stopwatch.GetTimestamp();
        _preprocessor.Process(bgr, _session.InputBuffer);
        var preprocessed = Stopwatch.GetTimestamp();
        _session.Run();
        var inferred = Stopwatch.GetTimestamp();
        var logits = _session.Logits;
        var n = map.PixelCount;
        _scorer.Score(logits, _session.ClassCount, map.Scores.AsSpan(0, n));
        LabelRoad(logits, _session.ClassCount, n, map.Road);
        var scored = Stopwatch.GetTimestamp();
        return new AnalyzerTimings(
            Stopwatch.GetElapsedTime(start, preprocessed).TotalMilliseconds,
            Stopwatch.GetElapsedTime(preprocessed, inferred).TotalMilliseconds,
            Stopwatch.GetElapsedTime(inferred, scored).TotalMilliseconds);
    }

    public void Dispose()
    {
        _preprocessor.Dispose();
        _session.Dispose();
    }

    private void LabelRoad(ReadOnlySpan<float> logits, int channels, int n, Span<byte> road)
    {
        var best = _best.AsSpan(0, n);
        logits.Slice(_roadClass * n, n).CopyTo(best);
        road[..n].Fill(255);
        for (var c = 0; c < channels; c++)
        {
            if (c == _roadClass)
            {
                continue;
            }

            var plane = logits.Slice(c * n, n);
            var earlier = c < _roadClass; // argmax takes the first maximum: an earlier class wins ties
            for (var i = 0; i < n; i++)
            {
                var v = plane[i];
                if (v > best[i] || (earlier && v == best[i]))
                {
                    best[i] = v;
                    road[i] = 0;
                }
            }
        }
    }
}
