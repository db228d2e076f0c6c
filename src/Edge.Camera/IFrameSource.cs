namespace Edge.Camera;

/// <summary>A stream of frames from one camera, stream, file or image folder. Not thread-safe: one reader at a time.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>What the source reads, for logs and errors (e.g. <c>v4l2:///dev/video0</c>).</summary>
    string Description { get; }

    /// <summary>
    /// True when frames arrive at their own pace (cameras, network streams, or a file read at a fixed rate): the
    /// pipeline then drops the oldest frame when it falls behind instead of slowing the source down.
    /// </summary>
    bool IsPaced { get; }

    /// <summary>How many times a lost live stream was reopened.</summary>
    long Reconnects { get; }

    /// <summary>Opens the source; throws <see cref="FrameSourceException"/> naming it when it cannot be read.</summary>
    ValueTask OpenAsync(CancellationToken cancellationToken);

    /// <summary>The next frame (caller owns and disposes it), or null at the end of a file or folder.</summary>
    ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken);
}
