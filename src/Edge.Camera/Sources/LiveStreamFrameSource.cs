using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>
/// A live camera or network stream read through OpenCV. A lost stream (several failed reads in a row) is reopened with
/// exponential backoff; every successful reopen is counted in <see cref="Reconnects"/>.
/// </summary>
public sealed class LiveStreamFrameSource : IFrameSource
{
    private readonly CaptureTarget _target;
    private readonly FrameSourceOptions _options;
    private readonly ILogger _logger;
    private VideoCapture? _capture;
    private long _nextId;
    private long _reconnects;

    public LiveStreamFrameSource(CaptureTarget target, FrameSourceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _target = target;
        _options = options;
        _logger = logger;
    }

    public string Description => _target.Description;

    public bool IsPaced => true;

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _capture?.Dispose();
        _capture = _target.Open();
        if (!_capture.IsOpened())
        {
            _capture.Dispose();
            _capture = null;
            throw new FrameSourceException(_target.Description, $"Cannot open source '{_target.Description}': OpenCV could not open it (backend {_target.Backend}); check the device/URL and that the backend is available.");
        }

        _logger.LogInformation("Opened live source {Source} ({Width}x{Height})", _target.Description, _capture.FrameWidth, _capture.FrameHeight);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_capture is null)
        {
            throw new InvalidOperationException($"Source '{_target.Description}' is not open: call OpenAsync first.");
        }

        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mat = new Mat();
            if (_capture.Read(mat) && !mat.Empty() && mat.Type() == MatType.CV_8UC3)
            {
                if (_options.ExceedsMaxPixels(mat.Width, mat.Height))
                {
                    var (w, h) = (mat.Width, mat.Height);
                    mat.Dispose();
                    throw new FrameSourceException(_target.Description,
                        $"Source '{_target.Description}': frame {_options.MaxPixelsExceeded(w, h)}; set source.width/height (or the stream's resolution) or raise source.max_pixels.");
                }

                return new Frame(_nextId++, DateTimeOffset.UtcNow, mat);
            }

            mat.Dispose();
            if (++failures < _options.ReadFailuresBeforeReconnect)
            {
                continue;
            }

            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
            failures = 0;
        }
    }

    public void Dispose()
    {
        _capture?.Dispose();
        _capture = null;
    }

    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay, jitter: false);
        for (var attempt = 1; ; attempt++)
        {
            var delay = backoff.Next();
            _logger.LogWarning("Lost source {Source}; reconnect attempt {Attempt} in {Delay}", _target.Description, attempt, delay);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            _capture?.Dispose();
            _capture = _target.Open();
            if (_capture.IsOpened())
            {
                Interlocked.Increment(ref _reconnects);
                _logger.LogInformation("Reconnected source {Source} after {Attempts} attempt(s)", _target.Description, attempt);
                return;
            }

            if (_options.MaxReconnectAttempts > 0 && attempt >= _options.MaxReconnectAttempts)
            {
                throw new FrameSourceException(_target.Description, $"Source '{_target.Description}' was lost and could not be reopened after {attempt} attempts.");
            }

        }
    }
}
