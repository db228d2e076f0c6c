using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>A network stream decoded by FFmpeg: <c>rtsp://</c>, <c>rtsps://</c>, <c>http://</c>, <c>https://</c> (MJPEG, HLS, ...).</summary>
public sealed class NetworkStreamSourceKind : IFrameSourceKind
{
    private static readonly string[] Schemes = ["rtsp", "rtsps", "http", "https"];

    public string Name => "stream";

    public string Syntax => "rtsp://host:554/path | http://host/stream.mjpg";

    public bool Matches(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && Schemes.Contains(parsed.Scheme, StringComparer.OrdinalIgnoreCase);

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw new FrameSourceException(uri, $"Source '{uri}': expected a stream URL with a host, e.g. {Syntax}.");
        }

        var target = new CaptureTarget { Description = Redact(parsed), FileName = uri, Backend = VideoCaptureAPIs.FFMPEG };
        return new LiveStreamFrameSource(target, options, loggerFactory.CreateLogger<LiveStreamFrameSource>());
    }

    /// <summary>The URL without its password, for logs.</summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.OriginalString;
        }

        var user = uri.UserInfo.Split(':')[0];
        return new UriBuilder(uri) { UserName = user, Password = "***" }.Uri.ToString();
    }
}
