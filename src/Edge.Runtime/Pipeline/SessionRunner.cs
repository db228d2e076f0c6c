using System.Diagnostics;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Preprocessing;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// What every inference stage does before it reads the network's outputs: check the score map, <see cref="CameraPreprocessor"/>
/// into the session's pinned input, <see cref="SegmentationSession.Run"/>, each step timed. Owns the session and the
/// preprocessor; the analyzers (<see cref="OnnxFrameAnalyzer"/>, <see cref="HeadsFrameAnalyzer"/>) differ only in how
/// they turn the outputs into the <see cref="ScoreMap"/>.
/// </summary>
internal sealed class SessionRunner : IDisposable
{
    private readonly CameraPreprocessor _preprocessor;

    public SessionRunner(SegmentationSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Session = session;
        _preprocessor = new CameraPreprocessor(session.InputHeight, session.InputWidth);
    }

    public SegmentationSession Session { get; }

    /// <summary>Width of the network input, which is the score map's.</summary>
    public int MapWidth => Session.InputWidth;

    public int MapHeight => Session.InputHeight;

    /// <summary>Preprocesses <paramref name="bgr"/> and runs the network; returns the two step times and the timestamp after the run.</summary>
    public (double PreprocessMs, double InferenceMs, long Inferred) Run(Mat bgr, ScoreMap map)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(map);
        if (map.Width != MapWidth || map.Height != MapHeight)
        {
            throw new ArgumentException($"Score map is {map.Width}x{map.Height}, expected the model's {MapWidth}x{MapHeight}.", nameof(map));
        }

        var start = Stopwatch.GetTimestamp();
        _preprocessor.Process(bgr, Session.InputBuffer);
        var preprocessed = Stopwatch.GetTimestamp();
        Session.Run();
        var inferred = Stopwatch.GetTimestamp();
        return (Stopwatch.GetElapsedTime(start, preprocessed).TotalMilliseconds, Stopwatch.GetElapsedTime(preprocessed, inferred).TotalMilliseconds, inferred);
    }

    public void Dispose()
    {
        _preprocessor.Dispose();
        Session.Dispose();
    }
}
