using System.Collections.Concurrent;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>
/// Generated frames for tests and self-checks (<c>synthetic://WIDTHxHEIGHT</c>): each frame is filled with a gray level
/// derived from its id, or painted by a callback; an optional interval makes it behave like a camera (paced).
/// Every frame produced is remembered so tests can check that all were disposed.
/// </summary>
public sealed class SyntheticFrameSource : IFrameSource
{
    private readonly ConcurrentQueue<Frame> _produced = new();
    private readonly Action<long, Mat>? _paint;
    private long _nextId;

    public SyntheticFrameSource(int width, int height, long? frameCount = null, TimeSpan? interval = null, Action<long, Mat>? paint = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        FrameCount = frameCount;
        Interval = interval;
        _paint = paint;
    }

    public int Width { get; }

    public int Height { get; }

    public long? FrameCount { get; }

    public TimeSpan? Interval { get; }

    public string Description => $"synthetic://{Width}x{Height}";

    public bool IsPaced => Interval is not null;

    public long Reconnects => 0;

    public IReadOnlyCollection<Frame> ProducedFrames => _produced;

    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (FrameCount is { } count && _nextId >= count)
        {
            return null;
        }

        if (Interval is { } interval && interval > TimeSpan.Zero)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var id = _nextId++;
        var mat = new Mat(Height, Width, MatType.CV_8UC3, Scalar.All(id % 256));
        _paint?.Invoke(id, mat);
        var frame = new Frame(id, DateTimeOffset.UtcNow, mat);
        _produced.Enqueue(frame);
        return frame;
    }

    public void Dispose()
    {
    }
}
