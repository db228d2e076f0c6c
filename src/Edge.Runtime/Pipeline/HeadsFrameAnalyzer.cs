using System.Diagnostics;
using System.Numerics.Tensors;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// The inference stage for a model with heads (<see cref="SegmentationSession.HasHeads"/>): <see cref="Preprocessing.CameraPreprocessor"/>
/// into the session's input → <see cref="SegmentationSession.Run"/>, which writes the score map and the road mask itself →
/// both copied into the <see cref="ScoreMap"/> (road 0/1 → 0/255), with the argmax labels when the graph outputs them. No logits reach the CPU. Owns the session.
/// </summary>
public sealed class HeadsFrameAnalyzer : IFrameAnalyzer
{
    private readonly SessionRunner _runner;

    public HeadsFrameAnalyzer(SegmentationSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.HasHeads)
        {
            throw new ArgumentException($"Model '{session.ModelPath}' has no heads (output logits): use {nameof(OnnxFrameAnalyzer)} with a CPU scorer.", nameof(session));
        }

        _runner = new SessionRunner(session);
    }

    public string Provider => Session.Provider;

    public int MapWidth => _runner.MapWidth;

    public int MapHeight => _runner.MapHeight;

    public SegmentationSession Session => _runner.Session;

    public AnalyzerTimings Analyze(Mat bgr, ScoreMap map)
    {
        var (preprocessMs, inferenceMs, inferred) = _runner.Run(bgr, map);
        Session.Scores.CopyTo(map.Scores);
        TensorPrimitives.Multiply(Session.RoadMask, (byte)255, map.Road.AsSpan(0, map.PixelCount));
        map.HasLabels = Session.HasLabels;
        if (Session.HasLabels)
        {
            Session.Labels.CopyTo(map.Labels);
        }

        return new AnalyzerTimings(preprocessMs, inferenceMs, Stopwatch.GetElapsedTime(inferred).TotalMilliseconds);
    }

    public void Dispose() => _runner.Dispose();
}
