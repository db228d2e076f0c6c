using Microsoft.Extensions.Logging;

namespace Edge.Camera.Sources;

/// <summary>A video file (<c>clip.mp4</c>, <c>file:///data/clip.mkv</c>) decoded by OpenCV's bundled FFmpeg.</summary>
public sealed class VideoFileSourceKind : IFrameSourceKind
{
    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".mkv", ".avi", ".mov", ".webm", ".m4v", ".ts", ".mjpg", ".mjpeg", ".h264", ".h265",
    };

    public string Name => "file";

    public string Syntax => "clip.mp4 | file:///data/clip.mp4";

    public bool Matches(string uri) => VideoExtensions.Contains(Path.GetExtension(FileUri.LocalPath(uri)));

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return new VideoFileFrameSource(FileUri.LocalPath(uri), options, loggerFactory.CreateLogger<VideoFileFrameSource>());
    }
}
