using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>
/// A video file or image folder decoded once into memory when opened, then played from memory
/// (<see cref="FrameSourceOptions.Preload"/>). It stands for a camera that hands over decoded frames: a CSI or USB
/// camera on the vehicle delivers raw frames (the Jetson's ISP / NVDEC decode off the CPU), so a recording replayed from
/// memory costs the pipeline what a camera costs it — a copy — and not a software H.264 decode. Pacing, looping and
/// realtime skipping behave as for the file itself; frame ids count recorded frames (skipped ones included).
/// </summary>
public sealed class PreloadedFrameSource : IFrameSource
{
    private readonly IFrameSource _inner;
    private readonly FrameSourceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FramePacer _pacer;
    private readonly List<Mat> _frames = [];
    private LiveRatePacer? _live;
    private long _nextId;
    private bool _opened;

    /// <param name="inner">The file or folder source, created with pacing, looping and realtime off (one plain pass).</param>
    /// <param name="options">The options the user gave (pacing, loop, realtime, <see cref="FrameSourceOptions.PreloadMaxBytes"/>).</param>
    public PreloadedFrameSource(IFrameSource inner, FrameSourceOptions options, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _inner = inner;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _pacer = new FramePacer(options.Fps);
    }

    public string Description => $"{_inner.Description} (preloaded)";

    public bool IsPaced => _pacer.IsPaced || _options.Realtime;

    public long Reconnects => 0;

    /// <summary>Frames held in memory (after <see cref="OpenAsync"/>).</summary>
    public int FrameCount => _frames.Count;

    /// <summary>Bytes of pixels held in memory.</summary>
    public long Bytes { get; private set; }

    /// <summary>Frames skipped by realtime playback because they fell due while the reader was busy.</summary>
    public long Skipped => _live?.Skipped ?? 0;

    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        Release();
        await _inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (await _inner.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            using (frame)
            {
                var bytes = (long)frame.Image.Total() * frame.Image.ElemSize();
                if (Bytes + bytes > _options.PreloadMaxBytes)
                {
                    var held = _frames.Count;
                    Release();
                    throw new FrameSourceException(_inner.Description,
                        $"Source '{_inner.Description}': source.preload needs more than source.preload_max_mb = {_options.PreloadMaxBytes / (1024 * 1024)} MB " +
                        $"({held} frame(s) of {frame.Width}x{frame.Height} held, {(Bytes + bytes) / (1024 * 1024)} MB with the next); raise the limit or preload a shorter clip.");
                }

                _frames.Add(frame.Image.Clone());
                Bytes += bytes;
            }
        }

        if (_frames.Count == 0)
        {
            throw new FrameSourceException(_inner.Description, $"Source '{_inner.Description}': source.preload read no frame (empty video or folder).");
        }

        _logger.LogInformation("Preloaded {Source}: {Frames} frame(s), {Megabytes:F0} MB, decoded in {Seconds:F1} s; played from memory",
            _inner.Description, _frames.Count, Bytes / (1024.0 * 1024.0), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (_options.Realtime)
        {
            var rate = _options.Fps ?? (_inner is VideoFileFrameSource video ? video.FramesPerSecond : 0);
            if (!(rate > 0 && double.IsFinite(rate)))
            {
                Release();
                throw new FrameSourceException(_inner.Description, $"Source '{_inner.Description}': realtime playback needs a frame rate; set source.fps.");
            }

            _live = new LiveRatePacer(rate, _time);
        }

        _inner.Dispose();
        _opened = true;
    }

    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_opened)
        {
            throw new InvalidOperationException($"Source '{Description}' is not open: call OpenAsync first.");
        }

        if (_live is not null)
        {
            _nextId += await _live.NextAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!_options.Loop && _nextId >= _frames.Count)
        {
            return null;
        }

        var image = _frames[(int)(_nextId % _frames.Count)].Clone();
        return new Frame(_nextId++, _time.GetUtcNow(), image);
    }

    public void Dispose()
    {
        Release();
        _inner.Dispose();
        _opened = false;
    }

    private void Release()
    {
        foreach (var mat in _frames)
        {
            mat.Dispose();
        }

        _frames.Clear();
        Bytes = 0;
    }
}
