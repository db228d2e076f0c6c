using System.Diagnostics;

namespace Edge.Camera.Sources;

/// <summary>Spaces reads of a file or folder at a fixed rate (no-op without a rate).</summary>
internal sealed class FramePacer
{
    private readonly long _intervalTicks;
    private long _next;

    public FramePacer(double? fps)
    {
        _intervalTicks = fps is { } f ? (long)(Stopwatch.Frequency / f) : 0;
    }

    public bool IsPaced => _intervalTicks > 0;

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_intervalTicks == 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (_next == 0)
        {
            _next = now;
        }

        var wait = _next - now;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
        }

        _next = Math.Max(_next, now - _intervalTicks) + _intervalTicks;
    }
}
