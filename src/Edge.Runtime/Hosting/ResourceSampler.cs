using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Hosting;

/// <summary>
/// Samples this process every interval (<c>edgeseg run --soak-report</c>): VmRSS and Threads from
/// <c>/proc/self/status</c>, the number of entries in <c>/proc/self/fd</c>, and the managed heap
/// (<see cref="GC.GetTotalMemory(bool)"/>), beside the frames processed so far.
/// </summary>
public sealed class ResourceSampler
{
    private readonly List<ResourceSample> _samples = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ILogger? _logger;

    public ResourceSampler(TimeProvider? time = null, ILogger? logger = null)
    {
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        _logger = logger;
    }

    public IReadOnlyList<ResourceSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Takes one sample now.</summary>
    public ResourceSample Sample(long framesProcessed)
    {
        var (rssKb, threads) = ReadStatus("/proc/self/status");
        var fds = Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : -1;
        var sample = new ResourceSample(
            _time.GetElapsedTime(_started).TotalSeconds,
            framesProcessed,
            rssKb is { } kb ? kb / 1024.0 : Environment.WorkingSet / (1024.0 * 1024.0),
            GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0),
            fds,
            threads ?? System.Diagnostics.Process.GetCurrentProcess().Threads.Count);
        lock (_gate)
        {
            _samples.Add(sample);
        }

        _logger?.LogInformation("Soak: {Frames} frames, RSS {Rss:F1} MB, GC heap {Heap:F1} MB, {Fds} fds, {Threads} threads",
            sample.FramesProcessed, sample.RssMb, sample.GcHeapMb, sample.FdCount, sample.Threads);
        return sample;
    }

    /// <summary>Samples every <paramref name="interval"/> until cancelled, then once more.</summary>
    public async Task RunAsync(TimeSpan interval, Func<long> framesProcessed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(framesProcessed);
        Sample(framesProcessed());
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Sample(framesProcessed());
            }
        }
        catch (OperationCanceledException)
        {
        }

        Sample(framesProcessed());
    }

    /// <summary>VmRSS (kB) and Threads from a <c>/proc/&lt;pid&gt;/status</c> file; nulls when absent.</summary>
    public static (long? RssKb, int? Threads) ReadStatus(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        long? rss = null;
        int? threads = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return (rss, threads);
    }
}
