using Edge.Runtime.Hazards;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>The inference stage: one BGR frame → a score map (preprocess, network, scorer, road labels).</summary>
public interface IFrameAnalyzer : IDisposable
{
    /// <summary>Execution provider in use (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>, or a fake's name).</summary>
    string Provider { get; }

    /// <summary>Width of the score map, which is the network input's (the capture stage resizes frames to it).</summary>
    int MapWidth { get; }

    int MapHeight { get; }

    /// <summary>Fills <paramref name="map"/> for <paramref name="bgr"/> and reports how long each step took.</summary>
    AnalyzerTimings Analyze(Mat bgr, ScoreMap map);
}
