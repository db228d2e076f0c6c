using System.Diagnostics;
using System.Numerics.Tensors;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Preprocessing;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// The inference stage for a model with heads (<see cref="SegmentationSession.HasHeads"/>): <see cref="CameraPreprocessor"/>
/// into the session's input → <see cref="SegmentationSession.Run"/>, which writes the score map and the road mask itself →
/// both copied into the <see cref="ScoreMap"/> (road 0/1 → 0/255). No logits reach the CPU. Owns the session.
/// </summary>
public sealed class HeadsFrameAnalyzer : IFrameAnalyzer
{
    private readonly SegmentationSession _session;
    private readonly CameraPreprocessor _preprocessor;

    public HeadsFrameAnalyzer(SegmentationSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.HasHeads)
        {
            throw new ArgumentException($"Model '{session.ModelPath}' has no heads (output logits): use {nameof(OnnxFrameAnalyzer)} with a CPU scorer.", nameof(session));
        }

        _session = session;
        _preprocessor = new CameraPreprocessor(session.InputHeight, session.InputWidth);
    }

    public string Provider => _session.Provider;

    public int MapWidth => _session.InputWidth;

    public int MapHeight => _session.InputHeight;

    public SegmentationSession Session => _session;

    public AnalyzerTimings Analyze(Mat bgr, ScoreMap map)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(map);
        if (map.Width != MapWidth || map.Height != MapHeight)
        {
            throw new ArgumentException($"Score map is {map.Width}x{map.Height}, expected the model's {MapWidth}x{MapHeight}.", nameof(map));
        }

        var start = Stopwatch.GetTimestamp();
        _preprocessor.Process(bgr, _session.InputBuffer);
        var preprocessed = Stopwatch.GetTimestamp();
        _session.Run();
        var inferred = Stopwatch.GetTimestamp();
        _session.Scores.CopyTo(map.Scores);
        TensorPrimitives.Multiply(_session.RoadMask, (byte)255, map.Road.AsSpan(0, map.PixelCount));
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
}
