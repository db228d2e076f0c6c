using System.Diagnostics;
using Edge.Runtime.Inference;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// The one timing core of <c>edgeseg bench</c>, <c>edgeseg-tools bench-models</c> / <c>compression-report</c> and
/// <c>edgeseg-tools profile</c>, so their numbers compare: the same protocol (<c>warmup</c> untimed frames, then
/// <c>iterations</c> timed frames, each stage timed with raw <see cref="Stopwatch"/> ticks so the stages add up to the
/// total) and the same statistics (<see cref="LatencyStatistics"/>). The input differs by caller: <see cref="TimeRun"/>
/// (bench-models, compression-report, profile) times <see cref="SegmentationSession.Run"/> alone on the seeded synthetic
/// tensor (<see cref="FillSeededInput"/>, written once into the session's pinned input); <c>edgeseg bench</c>
/// (<see cref="ModelBench"/>) times the camera path through <see cref="TimeStages"/>, preprocessing a decoded BGR frame
/// (<c>--image</c> or a 1280x720 pattern) with the runtime's <c>CameraPreprocessor</c> in every frame.
/// </summary>
public static class InferenceTimer
{
    /// <summary>Seed of the synthetic input: byte values drawn by <see cref="Random"/>(<see cref="InputSeed"/>), then / 255f.</summary>
    public const int InputSeed = 7919;

    /// <summary>How reports of <see cref="TimeRun"/> (bench-models, compression-report) name its input.</summary>
    public const string InputDescription = "seeded synthetic input (System.Random(7919) bytes / 255, written straight into the input tensor: no image, no preprocessing)";

    /// <summary>Fills <paramref name="input"/> with the seeded synthetic input: <c>Random(InputSeed).Next(256) / 255f</c> per value, in [0, 1].</summary>
    public static void FillSeededInput(Span<float> input)
    {
        var random = new Random(InputSeed);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = random.Next(256) / 255f;
        }
    }

    /// <summary>
    /// Latency of <see cref="SegmentationSession.Run"/> on the seeded input: fills <see cref="SegmentationSession.InputBuffer"/>
    /// once, then times the run alone (<see cref="TimeStages"/> with one stage).
    /// </summary>
    public static LatencyStatistics TimeRun(SegmentationSession session, int warmup, int iterations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        FillSeededInput(session.InputBuffer);
        return TimeStages([session.Run], warmup, iterations, cancellationToken).Total;
    }

    /// <summary>
    /// Runs <paramref name="warmup"/> untimed frames, then <paramref name="iterations"/> timed frames; a frame runs every
    /// stage once, in order. Returns a summary per stage and of the per-frame total.
    /// </summary>
    public static FrameTimings TimeStages(IReadOnlyList<Action> stages, int warmup, int iterations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("Timed stages: expected at least 1, got 0.", nameof(stages));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        for (var i = 0; i < warmup; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var stage in stages)
            {
                stage();
            }
        }

        var samples = new double[stages.Count][];
        for (var s = 0; s < stages.Count; s++)
        {
            samples[s] = new double[iterations];
        }

        var total = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frameStart = Stopwatch.GetTimestamp();
            var start = frameStart;
            for (var s = 0; s < stages.Count; s++)
            {
                stages[s]();
                var end = Stopwatch.GetTimestamp();
                samples[s][i] = Milliseconds(start, end);
                start = end;
            }

            total[i] = Milliseconds(frameStart, start);
        }

        return new FrameTimings([.. samples.Select(s => LatencyStatistics.FromSamples(s))], LatencyStatistics.FromSamples(total));
    }

    /// <summary>Raw timestamp ticks to ms (no rounding to TimeSpan's 100 ns, so the stages add up to the total).</summary>
    private static double Milliseconds(long start, long end) => (end - start) * 1000.0 / Stopwatch.Frequency;
}
