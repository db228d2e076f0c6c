using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>Any GStreamer pipeline ending in an appsink delivering BGR: <c>gst://videotestsrc ! videoconvert ! appsink</c>.</summary>
public sealed class GstreamerSourceKind : IFrameSourceKind
{
    public const string Scheme = "gst://";

    public string Name => "gst";

    public string Syntax => "gst://<pipeline> ! appsink";

    public bool Matches(string uri) => uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var pipeline = uri[Scheme.Length..].Trim();
        if (!pipeline.Contains("appsink", StringComparison.Ordinal))
        {
            throw new FrameSourceException(uri, $"Source '{uri}': expected a GStreamer pipeline ending in an appsink, got '{pipeline}'.");
        }

        var target = new CaptureTarget { Description = uri, FileName = pipeline, Backend = VideoCaptureAPIs.GSTREAMER };
        return new LiveStreamFrameSource(target, options, loggerFactory.CreateLogger<LiveStreamFrameSource>());
    }
}
