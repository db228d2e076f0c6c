using Edge.Runtime.Benchmarking;
using Edge.Runtime.Inference;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Benchmarking;

/// <summary>The one timing core of edgeseg bench, edgeseg-tools bench-models / compression-report and profile.</summary>
public sealed class InferenceTimerTests
{
    [Fact]
    public void Seeded_input_is_the_same_every_time_and_is_random_bytes_over_255()
    {
        var first = new float[1000];
        var second = new float[1000];
        InferenceTimer.FillSeededInput(first);
        InferenceTimer.FillSeededInput(second);

        var random = new Random(InferenceTimer.InputSeed);
        for (var i = 0; i < first.Length; i++)
        {
            Assert.Equal(random.Next(256) / 255f, first[i]);
        }

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 200, "expected a spread of values, not a constant");
    }

    [Fact]
    public void Input_description_names_the_seed_the_input_is_drawn_with()
    {
        Assert.StartsWith("seeded synthetic input", InferenceTimer.InputDescription, StringComparison.Ordinal);
        Assert.Contains($"System.Random({InferenceTimer.InputSeed}) bytes / 255", InferenceTimer.InputDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_run_in_order_after_the_warm_up_and_add_up_to_the_total()
    {
        var calls = new List<string>();
        var timings = InferenceTimer.TimeStages(
            [() => calls.Add("a"), () => { calls.Add("b"); Thread.SpinWait(2000); }, () => calls.Add("c")],
            warmup: 2,
            iterations: 5,
            CancellationToken.None);

        Assert.Equal(Enumerable.Repeat(new[] { "a", "b", "c" }, 7).SelectMany(x => x), calls);
        Assert.Equal(3, timings.Stages.Count);
        Assert.All(timings.Stages, s => Assert.Equal(5, s.Count));
        Assert.Equal(5, timings.Total.Count);
        Assert.Equal(timings.Stages.Sum(s => s.MeanMs), timings.Total.MeanMs, 9);
        Assert.True(timings.Stages[1].MeanMs > 0);
    }

    [Fact]
    public void Bad_protocols_and_cancellation_are_refused()
    {
        Assert.Throws<ArgumentException>(() => InferenceTimer.TimeStages([], 0, 1, CancellationToken.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceTimer.TimeStages([() => { }], -1, 1, CancellationToken.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceTimer.TimeStages([() => { }], 0, 0, CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => InferenceTimer.TimeStages([() => { }], 0, 1, cancelled.Token));
    }

    [Fact]
    public void Time_run_times_the_session_on_the_seeded_input()
    {
        var path = new TinyConvModel().WriteTo(TestPaths.NewTempDirectory());
        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path, IntraOpThreads = 1 }, NullLogger.Instance);

        var stats = InferenceTimer.TimeRun(session, warmup: 1, iterations: 4, CancellationToken.None);

        var expected = new float[session.InputBuffer.Length];
        InferenceTimer.FillSeededInput(expected);
        Assert.Equal(expected, session.InputBuffer.ToArray());
        Assert.Equal(4, stats.Count);
        Assert.True(stats.MinMs > 0 && stats.MinMs <= stats.P50Ms && stats.P50Ms <= stats.MaxMs);
    }
}
