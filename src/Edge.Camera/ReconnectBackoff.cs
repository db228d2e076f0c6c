namespace Edge.Camera;

/// <summary>
/// The one retry delay of the runtime and its camera library (reopening a lost camera or stream, MQTT reconnect, hazard
/// publish retry, GPS reopen): exponential backoff, attempt <c>n</c> (from 0) waits <c>d = min(max, min · 2^n)</c>, with jitter a uniformly random time in [½·d, d], so a fleet
/// of vehicles that lost the same broker does not come back in lock-step. <see cref="Reset"/> starts over at
/// <c>min</c> (after a connection that stayed up, a publish that went through). <c>min == max</c> is a fixed delay.
/// Not thread-safe: one loop owns it.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private readonly bool _jitter;
    private int _attempt;

    /// <param name="min">First delay.</param>
    /// <param name="max">Largest delay.</param>
    /// <param name="random">Source of the jitter (tests); null = shared.</param>
    /// <param name="jitter">False: every delay is exactly <see cref="Ceiling"/>.</param>
    public ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null, bool jitter = true)
    {
        if (min <= TimeSpan.Zero || max < min)
        {
            throw new ArgumentException($"Reconnect backoff: expected 0 < min <= max, got min {min}, max {max}.");
        }

        _min = min;
        _max = max;
        _random = random ?? Random.Shared;
        _jitter = jitter;
    }

    /// <summary>Attempts since the last <see cref="Reset"/>.</summary>
    public int Attempt => _attempt;

    /// <summary>The upper bound <c>d</c> of the next delay, without jitter.</summary>
    public TimeSpan Ceiling => TimeSpan.FromTicks((long)Math.Min(_max.Ticks, _min.Ticks * Math.Pow(2, Math.Min(_attempt, 40))));

    /// <summary>The delay before the next attempt; advances the attempt counter.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling;
        _attempt++;
        return _jitter ? TimeSpan.FromTicks((long)(ceiling.Ticks * (0.5 + (0.5 * _random.NextDouble())))) : ceiling;
    }

    /// <summary>Skips ahead to the largest delay (a refusal that retrying soon cannot heal).</summary>
    public void Saturate()
    {
        while (Ceiling < _max)
        {
            _attempt++;
        }
    }

    public void Reset() => _attempt = 0;
}
