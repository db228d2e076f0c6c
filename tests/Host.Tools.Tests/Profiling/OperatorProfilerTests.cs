using Host.Tools.Profiling;
using Host.Tools.Tests.Import;
using Host.Tools.Tests.Quantization;

namespace Host.Tools.Tests.Profiling;

public sealed class OperatorProfilerTests
{
    [Fact]
    public void Kernel_times_of_a_real_run_cover_the_convolutions_and_add_up()
    {
        using var dir = new TempDirectory();
        var path = QuantizationFixture.ExportTo(dir, "erfnet", "float");

        var profile = OperatorProfiler.Profile(path, iterations: 2, warmup: 1, threads: 1);

        Assert.Contains(profile.Operators, o => o.OpType is "Conv" or "FusedConv");
        Assert.All(profile.Operators, o => Assert.True(o.MillisecondsPerRun >= 0 && o.Nodes > 0));
        Assert.InRange(profile.Operators.Sum(o => o.Share), 0.999, 1.001);
        Assert.Equal(profile.Operators.OrderByDescending(o => o.MillisecondsPerRun), profile.Operators);
        Assert.InRange(profile.SlowestNodes.Count, 1, 10);
    }

    [Fact]
    public void Aggregate_keeps_only_the_timed_runs()
    {
        using var dir = new TempDirectory();
        var trace = dir.File("trace.json");
        // Run 1 (warm-up): conv 1000 us, add 1000 us; run 2: conv 300 us, add 100 us; plus a session event.
        File.WriteAllText(trace, """
            [
              {"cat":"Session","name":"model_loading_uri","dur":5000,"args":{}},
              {"cat":"Node","name":"c_kernel_time","dur":1000,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"a_kernel_time","dur":1000,"args":{"op_name":"Add"}},
              {"cat":"Node","name":"c_fence_before","dur":0,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"c_kernel_time","dur":300,"args":{"op_name":"Conv"}},
              {"cat":"Node","name":"a_kernel_time","dur":100,"args":{"op_name":"Add"}}
            ]
            """);

        var profile = OperatorProfiler.Aggregate(trace, totalRuns: 2, keepRuns: 1);

        Assert.Equal(["Conv", "Add"], profile.Operators.Select(o => o.OpType));
        Assert.Equal(0.3, profile.Operators[0].MillisecondsPerRun, 6);
        Assert.Equal(0.75, profile.Operators[0].Share, 6);
        Assert.Equal("c", profile.SlowestNodes[0].Node);
    }

    [Fact]
    public void A_trace_with_a_partial_run_is_refused_with_its_path()
    {
        using var dir = new TempDirectory();
        var trace = dir.File("partial.json");
        File.WriteAllText(trace, """[{"cat":"Node","name":"c_kernel_time","dur":10,"args":{"op_name":"Conv"}}]""");

        var ex = Assert.Throws<InvalidDataException>(() => OperatorProfiler.Aggregate(trace, totalRuns: 2, keepRuns: 1));
        Assert.Contains("partial.json", ex.Message, StringComparison.Ordinal);
    }
}
