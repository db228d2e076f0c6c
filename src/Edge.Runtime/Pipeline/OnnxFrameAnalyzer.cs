using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Scoring;
using OpenCvSharp;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// <see cref="Preprocessing.CameraPreprocessor"/> into the session's input buffer → <see cref="SegmentationSession.Run"/> → scorer over
/// the logits → road labels (argmax = road class), and the argmax class of every pixel when asked for
/// (<c>hazards.known_objects</c>). Owns the session.
/// </summary>
public sealed class OnnxFrameAnalyzer : IFrameAnalyzer
{
    private readonly SessionRunner _runner;
    private readonly IAnomalyScorer _scorer;
    private readonly int _roadClass;
    private readonly bool _labels;

    /// <param name="labels">Also write every pixel's argmax class into <see cref="ScoreMap.Labels"/> (a full argmax
    /// instead of the road-only comparison).</param>
    public OnnxFrameAnalyzer(SegmentationSession session, IAnomalyScorer scorer, int roadClass, bool labels = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(scorer);
        if (roadClass < 0 || roadClass >= session.ClassCount)
        {
            throw new ArgumentException($"hazards.road_area.road_class: expected 0..{session.ClassCount - 1}, got {roadClass}.", nameof(roadClass));
        }

        _scorer = scorer;
        _roadClass = roadClass;
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
        var logits = Session.Logits;
        var n = map.PixelCount;
        _scorer.Score(logits, Session.ClassCount, map.Scores.AsSpan(0, n));
        if (_labels)
        {
            ArgmaxLabels.Compute(logits, Session.ClassCount, n, map.Labels);
            ArgmaxLabels.Mask(map.Labels.AsSpan(0, n), (byte)_roadClass, map.Road);
        }
        else
        {
            LabelRoad(logits, Session.ClassCount, n, map.Road);
        }

        map.HasLabels = _labels;
        return new AnalyzerTimings(preprocessMs, inferenceMs, Stopwatch.GetElapsedTime(inferred).TotalMilliseconds);
    }

    public void Dispose() => _runner.Dispose();

    private void LabelRoad(ReadOnlySpan<float> logits, int channels, int n, Span<byte> road) =>
        LabelRoad(logits, channels, n, _roadClass, road);

    /// <summary>
    /// <paramref name="road"/>[i] = 255 where <paramref name="roadClass"/> is the argmax of the <paramref name="channels"/>
    /// planes at pixel i under PyTorch's first-maximum rule (an earlier class wins a tie), else 0: road loses to an
    /// earlier class that is &gt;= it or a later class that is &gt; it (comparisons with NaN are false). SIMD over
    /// <see cref="Vector{T}"/> in blocks of pixels that stay in L1 cache, scalar tail.
    /// </summary>
    public static void LabelRoad(ReadOnlySpan<float> logits, int channels, int n, int roadClass, Span<byte> road)
    {
        if (channels < 1 || (long)channels * n > logits.Length || road.Length < n || roadClass < 0 || roadClass >= channels)
        {
            throw new ArgumentException($"Road labels: expected {channels} planes of {n} floats (got {logits.Length}), {n} mask bytes (got {road.Length}) and road class 0..{channels - 1} (got {roadClass}).");
        }

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            const int BlockVectors = 256;
            var lanes = Vector<float>.Count;
            var roadPlane = MemoryMarshal.Cast<float, Vector<float>>(logits.Slice(roadClass * n, n));
            Span<Vector<int>> lost = stackalloc Vector<int>[BlockVectors];
            var whole = n / Vector<byte>.Count * 4; // float vectors, in groups of four (one byte vector of output)
            for (var first = 0; first < whole; first += BlockVectors)
            {
                var count = Math.Min(BlockVectors, whole - first);
                var block = lost[..count];
                block.Clear();
                var mine = roadPlane.Slice(first, count);
                for (var c = 0; c < channels; c++)
                {
                    if (c == roadClass)
                    {
                        continue;
                    }

                    var other = MemoryMarshal.Cast<float, Vector<float>>(logits.Slice(c * n, n)).Slice(first, count);
                    if (c < roadClass)
                    {
                        for (var k = 0; k < block.Length; k++)
                        {
                            block[k] |= Vector.GreaterThanOrEqual(other[k], mine[k]);
                        }
                    }
                    else
                    {
                        for (var k = 0; k < block.Length; k++)
                        {
                            block[k] |= Vector.GreaterThan(other[k], mine[k]);
                        }
                    }
                }

                for (var k = 0; k < block.Length; k += 4)
                {
                    var low = Vector.Narrow(block[k], block[k + 1]);
                    var high = Vector.Narrow(block[k + 2], block[k + 3]);
                    (~Vector.AsVectorByte(Vector.Narrow(low, high))).CopyTo(road[((first + k) * lanes)..]);
                }
            }

            i = whole * lanes;
        }

        for (; i < n; i++)
        {
            var mine = logits[(roadClass * n) + i];
            var won = true;
            for (var c = 0; c < channels && won; c++)
            {
                var other = logits[(c * n) + i];
                won = c == roadClass || (c < roadClass ? !(other >= mine) : !(other > mine));
            }

            road[i] = won ? (byte)255 : (byte)0;
        }
    }
}
