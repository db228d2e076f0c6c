using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
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
