using Edge.Runtime.Benchmarking;

namespace Edge.Runtime.Pipeline;

/// <summary>The last N samples of a value (thread-safe ring buffer) with percentile summaries.</summary>
internal sealed class LatencyWindow
{
    private readonly double[] _samples;
    private readonly Lock _gate = new();
    private long _count;

    public LatencyWindow(int capacity)
    {
        _samples = new double[capacity];
    }

    /// <summary>Also receives every sample (e.g. a Prometheus histogram); set before the window is used.</summary>
    public Action<double>? Observer { get; set; }

    public void Add(double value)
    {
        lock (_gate)
        {
            _samples[_count % _samples.Length] = value;
            _count++;
        }

        Observer?.Invoke(value);
    }

    public LatencyStatistics? Summary()
    {
        lock (_gate)
        {
            var n = (int)Math.Min(_count, _samples.Length);
            return n == 0 ? null : LatencyStatistics.FromSamples(_samples.AsSpan(0, n));
        }
    }

    /// <summary>Events per second from timestamps (seconds) stored as samples: (n − 1) / (newest − oldest).</summary>
    public double Rate()
    {
        lock (_gate)
        {
            var n = (int)Math.Min(_count, _samples.Length);
            if (n < 2)
            {
                return 0;
            }

            var newest = _samples[(_count - 1) % _samples.Length];
            var oldest = _samples[(_count - n) % _samples.Length];
            return newest > oldest ? (n - 1) / (newest - oldest) : 0;
        }
    }
}
