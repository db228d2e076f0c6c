using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Progress;

/// <summary>
/// Progress as log lines (stdout or stderr not a terminal): the first and last step, and one line at most every
/// <c>interval</c> in between, each with the estimated time left (mean time per step so far × steps left).
/// </summary>
public sealed class LogProgressTask : IProgressTask
{
    private readonly ILogger _logger;
    private readonly string _description;
    private readonly int _total;
    private readonly TimeSpan _interval;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private long _lastLine;
    private int _done;

    public LogProgressTask(ILogger logger, string description, int total, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _description = description;
        _total = total;
        _interval = interval ?? TimeSpan.FromSeconds(10);
    }

    public void Advance(string detail)
    {
        lock (_gate)
        {
            _done++;
            var now = Stopwatch.GetTimestamp();
            if (_done != 1 && _done < _total && Stopwatch.GetElapsedTime(_lastLine, now) < _interval)
            {
                return;
            }

            _lastLine = now;
            var elapsed = Stopwatch.GetElapsedTime(_started, now).TotalSeconds;
            var left = _total > _done ? elapsed / _done * (_total - _done) : 0;
            _logger.LogInformation("[{Task} {Done}/{Total}] {Detail}; {Elapsed:F0} s elapsed, ~{Left:F0} s left", _description, _done, _total, detail, elapsed, left);
        }
    }

    public void Dispose()
    {
    }
}
