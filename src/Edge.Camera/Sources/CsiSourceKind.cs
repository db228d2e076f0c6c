using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>A Jetson CSI camera through GStreamer (<c>nvarguscamerasrc</c>): <c>csi://0</c> (sensor id).</summary>
public sealed class CsiSourceKind : IFrameSourceKind
{
    public const string Scheme = "csi://";

    public const int DefaultWidth = 1280;
    public const int DefaultHeight = 720;
    public const int DefaultFramerate = 30;

    public string Name => "csi";

    public string Syntax => "csi://0";

    public bool Matches(string uri) => uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var sensor = uri[Scheme.Length..].TrimEnd('/');
        if (!int.TryParse(sensor, NumberStyles.None, CultureInfo.InvariantCulture, out var sensorId))
        {
            throw new FrameSourceException(uri, $"Source '{uri}': expected csi://N with a sensor id N >= 0, got '{sensor}'.");
        }

        var target = new CaptureTarget { Description = uri, FileName = Pipeline(sensorId, options), Backend = VideoCaptureAPIs.GSTREAMER };
        return new LiveStreamFrameSource(target, options, loggerFactory.CreateLogger<LiveStreamFrameSource>());
    }

    /// <summary>The GStreamer pipeline: NVMM capture, nvvidconv to BGRx, videoconvert to BGR, a 1-buffer dropping appsink.</summary>
    public static string Pipeline(int sensorId, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var width = options.Width ?? DefaultWidth;
        var height = options.Height ?? DefaultHeight;
        var framerate = options.Fps is { } fps ? (int)Math.Round(fps) : DefaultFramerate;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"nvarguscamerasrc sensor-id={sensorId} ! video/x-raw(memory:NVMM),width={width},height={height},framerate={framerate}/1 ! nvvidconv ! video/x-raw,format=BGRx ! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1");
    }
}
