using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>A V4L2 camera: <c>v4l2:///dev/video0</c>, or a bare device index <c>0</c>.</summary>
public sealed class V4l2SourceKind : IFrameSourceKind
{
    public const string Scheme = "v4l2://";

    public string Name => "v4l2";

    public string Syntax => "v4l2:///dev/video0 | 0";

    public bool Matches(string uri) =>
        uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || IsDeviceIndex(uri);

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        CaptureTarget target;
        if (IsDeviceIndex(uri))
        {
            target = new CaptureTarget { Description = uri, DeviceIndex = int.Parse(uri, CultureInfo.InvariantCulture), Backend = VideoCaptureAPIs.V4L2, Width = options.Width, Height = options.Height };
        }
        else
        {
            var device = uri[Scheme.Length..];
            if (!device.StartsWith('/'))
            {
                throw new FrameSourceException(uri, $"Source '{uri}': expected v4l2:///dev/videoN (an absolute device path), got device '{device}'.");
            }

            target = new CaptureTarget { Description = uri, FileName = device, Backend = VideoCaptureAPIs.V4L2, Width = options.Width, Height = options.Height };
        }

        return new LiveStreamFrameSource(target, options, loggerFactory.CreateLogger<LiveStreamFrameSource>());
    }

    private static bool IsDeviceIndex(string uri) =>
        uri.Length is > 0 and < 4 && uri.All(char.IsAsciiDigit);
}
