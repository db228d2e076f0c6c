using Edge.Camera;

namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>source</c>: what to read frames from.</summary>
public sealed record SourceSettings
{
    /// <summary>v4l2:///dev/video0 | 0 | csi://0 | gst://... | rtsp://... | http://... | clip.mp4 | folder/ | folder/*.png.</summary>
    public string Uri { get; init; } = "v4l2:///dev/video0";

    public bool Loop { get; init; }

    public double? Fps { get; init; }

    /// <summary>Play files and folders like a live camera at their native rate (or <see cref="Fps"/>), skipping late frames.</summary>
    public bool Realtime { get; init; }

    /// <summary>Decode a file or folder once into memory and play it from there (a camera handing over decoded frames).</summary>
    public bool Preload { get; init; }

    /// <summary>Most memory <see cref="Preload"/> may use, in MiB (default 1024).</summary>
    public double PreloadMaxMb { get; init; } = FrameSourceOptions.DefaultPreloadMaxBytes / (1024.0 * 1024.0);

    public int? Width { get; init; }

    public int? Height { get; init; }

    public double ReconnectInitialSeconds { get; init; } = 0.5;

    public double ReconnectMaxSeconds { get; init; } = 30;

    public int MaxReconnectAttempts { get; init; }

    /// <summary>Largest image/video frame in pixels (width x height); default 4096x2160 = 8,847,360, so 4K UHD fits.</summary>
    public long MaxPixels { get; init; } = FrameSourceOptions.DefaultMaxPixels;

    /// <summary>Consecutive failed reads of a live source before it is closed and reopened.</summary>
    public int ReadFailuresBeforeReconnect { get; init; } = new FrameSourceOptions().ReadFailuresBeforeReconnect;

    public FrameSourceOptions ToOptions() => new()
    {
        Loop = Loop,
        Fps = Fps,
        Realtime = Realtime,
        Preload = Preload,
        PreloadMaxBytes = (long)(PreloadMaxMb * 1024 * 1024),
        Width = Width,
        Height = Height,
        ReconnectInitialDelay = TimeSpan.FromSeconds(ReconnectInitialSeconds),
        ReconnectMaxDelay = TimeSpan.FromSeconds(ReconnectMaxSeconds),
        MaxReconnectAttempts = MaxReconnectAttempts,
        MaxPixels = MaxPixels,
        ReadFailuresBeforeReconnect = ReadFailuresBeforeReconnect,
    };
}
