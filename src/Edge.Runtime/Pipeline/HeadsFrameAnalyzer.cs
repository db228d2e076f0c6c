using System.Diagnostics;
using System.Numerics.Tensors;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// The inference stage for a model with heads (<see cref="SegmentationSession.HasHeads"/>): <see cref="Preprocessing.CameraPreprocessor"/>
/// into the session's input → <see cref="SegmentationSession.Run"/>, which writes the score map and the road mask itself →
/// both copied into the <see cref="ScoreMap"/> (road 0/1 → 0/255), with the argmax labels when asked for. No logits reach the CPU. Owns the session.
/// </summary>
public sealed class HeadsFrameAnalyzer : IFrameAnalyzer
{
    private readonly SessionRunner _runner;
    private readonly bool _labels;

    /// <param name="labels">Copy the graph's argmax labels into <see cref="ScoreMap.Labels"/> (the graph must output them).</param>
    public HeadsFrameAnalyzer(SegmentationSession session, bool labels = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.HasHeads)
        {
            throw new ArgumentException($"Model '{session.ModelPath}' has no heads (output logits): use {nameof(OnnxFrameAnalyzer)} with a CPU scorer.", nameof(session));
        }

        if (labels && !session.HasLabels)
        {
            throw new ArgumentException($"Model '{session.ModelPath}' has heads without a labels output; the argmax labels cannot reach the CPU.", nameof(session));
        }

        _labels = labels;
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
        map.HasLabels = _labels;
        if (_labels)
        {
            Session.Labels.CopyTo(map.Labels);
        }

        return new AnalyzerTimings(preprocessMs, inferenceMs, Stopwatch.GetElapsedTime(inferred).TotalMilliseconds);
    }

    public void Dispose() => _runner.Dispose();
}
