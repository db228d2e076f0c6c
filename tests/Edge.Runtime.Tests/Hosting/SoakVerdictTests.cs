using Edge.Runtime.Hosting;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Hosting;

/// <summary>The soak verdict on synthetic series, and the in-process sampler on this test process.</summary>
public sealed class SoakVerdictTests
{
    private static List<ResourceSample> Series(int n, Func<int, double> rss, Func<int, int> fds) =>
        Enumerable.Range(0, n).Select(i => new ResourceSample(i * 5.0, i * 100L, rss(i), 20, fds(i), 30)).ToList();

    [Fact]
    public void Flat_series_after_a_warm_up_ramp_passes()
    {
        // Ramp from 300 to 500 MB during the first 10% (warm-up), then flat with ±3 MB noise and fds 40..41.
        var samples = Series(40, i => i < 4 ? 300 + 50 * i : 500 + (i % 3) - 1, i => i < 4 ? 30 + i : 40 + (i % 2));

        var verdict = SoakVerdict.Evaluate(samples);

        Assert.True(verdict.Conclusive);
        Assert.True(verdict.Pass, verdict.Summary);
        Assert.InRange(verdict.RssGrowth, -0.01, 0.01);
        Assert.InRange(verdict.RssSlopeMbPer1000Frames, -1, 1);
        Assert.StartsWith("PASS", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Steady_rss_growth_fails_with_the_measured_growth_and_slope()
    {
        // +3 MB per sample = +30 MB per 1000 frames from 500 MB (~15% between the first and last quarter after warm-up).
        var samples = Series(40, i => 500 + (3 * i), _ => 40);

        var verdict = SoakVerdict.Evaluate(samples);

        Assert.False(verdict.Pass);
        var used = samples.Where(s => s.FramesProcessed >= 0.2 * 3900).ToList();
        var q = used.Count / 4;
        var expectedGrowth = (used.TakeLast(q).Average(s => s.RssMb) - used.Take(q).Average(s => s.RssMb)) / used.Take(q).Average(s => s.RssMb);
        Assert.Equal(expectedGrowth, verdict.RssGrowth, 9);
        Assert.Equal(30, verdict.RssSlopeMbPer1000Frames, 6);
        Assert.True(expectedGrowth > SoakVerdict.MaxRssGrowth);
        Assert.StartsWith("FAIL", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Fd_leak_of_one_per_sample_fails_even_with_flat_rss()
    {
        var verdict = SoakVerdict.Evaluate(Series(40, _ => 500, i => 40 + i));
        Assert.False(verdict.Pass);
        Assert.True(verdict.FdFinal > verdict.FdBaseline + SoakVerdict.FdTolerance);
    }

    [Fact]
    public void Momentary_fd_blips_do_not_fail_a_flat_series()
    {
        // Every seventh sample has 4 more fds open (a queue segment being rewritten): the medians stay at 40.
        var verdict = SoakVerdict.Evaluate(Series(40, _ => 500, i => i % 7 == 3 ? 44 : 40));
        Assert.True(verdict.Pass, verdict.Summary);
        Assert.Equal(44, verdict.FdMax);
        Assert.Equal(40, verdict.FdFinal);
    }

    [Fact]
    public void Too_few_samples_are_inconclusive_and_not_a_pass()
    {
        var verdict = SoakVerdict.Evaluate(Series(5, _ => 500, _ => 40));
        Assert.False(verdict.Conclusive);
        Assert.False(verdict.Pass);
        Assert.Contains("inconclusive", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Slope_matches_an_exact_line()
    {
        Assert.Equal(2.5, SoakVerdict.Slope([0, 1, 2, 3], [1, 3.5, 6, 8.5]), 12);
    }

    [Fact]
    public void Sampler_reads_this_process_and_the_csv_has_one_row_per_sample()
    {
        var sampler = new ResourceSampler();
        var handles = Enumerable.Range(0, 5).Select(_ => File.OpenRead(typeof(SoakVerdictTests).Assembly.Location)).ToList();
        var before = sampler.Sample(0);
        handles.ForEach(h => h.Dispose());
        var after = sampler.Sample(10);

        Assert.True(before.RssMb > 10, $"RSS {before.RssMb} MB");
        Assert.True(before.Threads > 1);
        Assert.True(before.FdCount - after.FdCount >= 4, $"fds {before.FdCount} with 5 files open, {after.FdCount} after closing them");
        var status = Path.Combine(TestPaths.NewTempDirectory(), "status");
        File.WriteAllText(status, "Name:\tx\nVmRSS:\t  123456 kB\nThreads:\t17\n");
        Assert.Equal((123456L, 17), ResourceSampler.ReadStatus(status));
        var csv = SoakReport.Csv(sampler.Samples).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(SoakReport.CsvHeader, csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("0.", csv[1].Split(',')[0], StringComparison.Ordinal);
    }
}
