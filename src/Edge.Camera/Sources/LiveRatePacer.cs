namespace Edge.Camera.Sources;

/// <summary>
/// Plays a file or folder like a live camera: frame k of the recording is due at <c>start + k / fps</c> on the
/// injected clock. A read before the next frame is due waits for it; a read after later frames fell due skips them
/// (the camera produced them while nobody was looking) and delivers the latest due frame. The first read starts the
/// clock. Not thread-safe.
/// </summary>
public sealed class LiveRatePacer
{
    private readonly TimeProvider _time;
    private long _start = -1;
    private long _next;

    public LiveRatePacer(double fps, TimeProvider? time = null)
    {
        if (!(fps > 0 && double.IsFinite(fps)))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, $"Live rate: expected a finite frame rate > 0, got {fps}.");
        }

        Fps = fps;
        _time = time ?? TimeProvider.System;
    }

    public double Fps { get; }

    /// <summary>Frames skipped so far because they fell due while the reader was busy.</summary>
    public long Skipped { get; private set; }

    /// <summary>
    /// Waits until the next frame is due and returns how many recorded frames to skip before reading it (0 when the
    /// reader keeps up).
    /// </summary>
    public async ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        var (wait, skip) = Schedule(_time.GetTimestamp());
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        return skip;
    }

    /// <summary>The scheduling decision at clock <paramref name="now"/> (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public (TimeSpan Wait, long Skip) Schedule(long now)
    {
        if (_start < 0)
        {
            _start = now;
        }

        // The latest frame whose time has come (integer timestamps: no drift, exact on the test clock).
        var due = (long)Math.Floor((now - _start) * Fps / _time.TimestampFrequency);
        while (DueAt(due + 1) <= now)
        {
            due++;
        }

        while (due > 0 && DueAt(due) > now)
        {
            due--;
        }

        if (due < _next)
        {
            var wait = DueAt(_next) - now;
            _next++;
            return (TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / _time.TimestampFrequency), 0);
        }

        var skip = due - _next;
        Skipped += skip;
        _next = due + 1;
        return (TimeSpan.Zero, skip);
    }

    /// <summary>Clock timestamp at which frame <paramref name="index"/> of the recording is due.</summary>
    private long DueAt(long index) => _start + (long)Math.Round(index * (_time.TimestampFrequency / Fps));
}
