using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>
/// A video file decoded by OpenCV's FFmpeg backend. Its end ends the run (or restarts it with <see cref="FrameSourceOptions.Loop"/>).
/// With <see cref="FrameSourceOptions.Realtime"/> it plays at its own rate (or <see cref="FrameSourceOptions.Fps"/>) like a
/// live camera: frames that fell due while the reader was busy are skipped (<see cref="Skipped"/>), frame ids count them.
/// </summary>
public sealed class VideoFileFrameSource : IFrameSource
{
    private readonly string _path;
    private readonly FrameSourceOptions _options;
    private readonly ILogger _logger;
    private readonly FramePacer _pacer;
    private readonly TimeProvider _time;
    private LiveRatePacer? _live;
    private VideoCapture? _capture;
    private long _nextId;

    public VideoFileFrameSource(string path, FrameSourceOptions options, ILogger logger)
        : this(path, options, logger, TimeProvider.System)
    {
    }

    /// <param name="time">The clock of <see cref="FrameSourceOptions.Realtime"/> playback (tests inject one).</param>
    public VideoFileFrameSource(string path, FrameSourceOptions options, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _path = path;
        _options = options;
        _logger = logger;
        _pacer = new FramePacer(options.Fps);
    }

    public string Description => _path;

    public bool IsPaced => _pacer.IsPaced || _options.Realtime;

    /// <summary>Frames skipped by realtime playback because they fell due while the reader was busy.</summary>
    public long Skipped => _live?.Skipped ?? 0;

    public long Reconnects => 0;

    /// <summary>Frame count the container reports (after <see cref="OpenAsync"/>).</summary>
    public int FrameCount => _capture?.FrameCount ?? 0;

    public double FramesPerSecond => _capture?.Fps ?? 0;

    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(_path))
        {
            throw new FrameSourceException(_path, $"Video file not found: '{_path}'.");
        }

        _capture?.Dispose();
        _capture = new VideoCapture(_path, VideoCaptureAPIs.FFMPEG);
        if (!_capture.IsOpened())
        {
            _capture.Dispose();
            _capture = null;
            throw new FrameSourceException(_path, $"Cannot open video file '{_path}': OpenCV's FFmpeg backend could not decode it.");
        }

        if (_options.ExceedsMaxPixels(_capture.FrameWidth, _capture.FrameHeight))
        {
            var (w, h) = (_capture.FrameWidth, _capture.FrameHeight);
            Dispose();
            throw new FrameSourceException(_path, TooLarge(w, h));
        }

        _logger.LogInformation("Opened video {Path}: {Width}x{Height}, {Frames} frames at {Fps:F1} fps", _path, _capture.FrameWidth, _capture.FrameHeight, _capture.FrameCount, _capture.Fps);
        if (_options.Realtime)
        {
            var rate = _options.Fps ?? _capture.Fps;
            if (!(rate > 0 && double.IsFinite(rate)))
            {
                throw new FrameSourceException(_path, $"Video file '{_path}': realtime playback needs a frame rate, but the file reports {_capture.Fps} fps; set source.fps.");
            }

            _live = new LiveRatePacer(rate, _time);
            _logger.LogInformation("Video {Path} plays in real time at {Fps:F2} fps, skipping frames like a live camera when the reader is late", _path, rate);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_capture is null)
        {
            throw new InvalidOperationException($"Source '{_path}' is not open: call OpenAsync first.");
        }

        if (_live is not null)
        {
            var skip = await _live.NextAsync(cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < skip; k++)
            {
                if (!Skip())
                {
                    return null;
                }
            }
        }
        else
        {
            await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mat = new Mat();
            if (_capture.Read(mat) && !mat.Empty())
            {
                if (_options.ExceedsMaxPixels(mat.Width, mat.Height))
                {
                    var (w, h) = (mat.Width, mat.Height);
                    mat.Dispose();
                    throw new FrameSourceException(_path, TooLarge(w, h));
                }

                return new Frame(_nextId++, _time.GetUtcNow(), mat);
            }

            mat.Dispose();
            if (!_options.Loop || _nextId == 0)
            {
                return null;
            }

            _capture.Set(VideoCaptureProperties.PosFrames, 0);
        }

        return null;
    }

    private string TooLarge(int width, int height) =>
        $"Video '{_path}': frame {_options.MaxPixelsExceeded(width, height)}.";

    public void Dispose()
    {
        _capture?.Dispose();
        _capture = null;
    }

    /// <summary>Passes over one frame (grabbed, not converted); false when the file ended and does not loop.</summary>
    private bool Skip()
    {
        if (_capture!.Grab())
        {
            _nextId++;
            return true;
        }

        if (!_options.Loop || _nextId == 0)
        {
            return false;
        }

        _capture.Set(VideoCaptureProperties.PosFrames, 0);
        if (!_capture.Grab())
        {
            return false;
        }

        _nextId++;
        return true;
    }
}
