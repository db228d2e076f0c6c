using Edge.Camera;
using Edge.Runtime.Mqtt;

namespace Edge.Runtime.Tests.Mqtt;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = new MqttSettings().ReconnectMinDelay;
    private static readonly TimeSpan Max = new MqttSettings().ReconnectMaxDelay;

    [Fact]
    public void Delays_double_from_min_to_max_with_jitter_between_half_and_the_full_delay()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(7));
        var ceilings = new[] { 1.0, 2, 4, 8, 10, 10 };
        foreach (var ceiling in ceilings)
        {
            var d = backoff.Next().TotalSeconds;
            Assert.InRange(d, ceiling / 2, ceiling);
        }

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.5, 1.0);
    }

    [Fact]
    public void Jitter_spreads_a_fleet_that_lost_the_same_broker()
    {
        var delays = Enumerable.Range(0, 50).Select(seed =>
        {
            var b = new ReconnectBackoff(Min, Max, new Random(seed));
            for (var i = 0; i < 4; i++)
            {
                b.Next();
            }

            return b.Next().TotalMilliseconds;
        }).ToList();
        Assert.True(delays.Distinct().Count() > 40);
        Assert.True(delays.Max() - delays.Min() > 0.25 * 8000 * 0.5, "jitter should cover a good part of [d/2, d]");
    }

    [Fact]
    public void Default_settings_make_at_most_20_attempts_in_any_minute_even_when_every_attempt_fails_at_once()
    {
        // Worst case: jitter always picks the shortest delay and each attempt costs no time (connection refused at once).
        var backoff = new ReconnectBackoff(Min, Max, new ShortestJitter());
        var starts = new List<double> { 0 };
        var now = 0.0;
        while (now < 600)
        {
            now += backoff.Next().TotalSeconds;
            starts.Add(now);
        }

        var worstWindow = starts.Max(s => starts.Count(x => x >= s && x < s + 60));
        Assert.InRange(worstWindow, 1, 20);
    }

    [Fact]
    public void Saturate_jumps_to_the_longest_delay_for_refusals_that_do_not_heal()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(1));
        backoff.Saturate();
        Assert.Equal(Max, backoff.Ceiling);
        Assert.InRange(backoff.Next(), Max / 2, Max);
    }

    [Fact]
    public void Without_jitter_delays_double_exactly_up_to_max_and_reset_to_min()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3), new ShortestJitter(), jitter: false);
        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds).ToList();
        Assert.Equal([0.5, 1, 2, 3, 3], delays);
        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(0.5), backoff.Next());

        var fixedDelay = new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), jitter: false);
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(TimeSpan.FromSeconds(2), fixedDelay.Next()));
    }

    private sealed class ShortestJitter : Random
    {
        public override double NextDouble() => 0;
    }
}
