using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>How to open one OpenCV <see cref="VideoCapture"/>: a file name, pipeline or URL, or a device index, with its backend.</summary>
public sealed record CaptureTarget
{
    /// <summary>The source setting as given (for messages).</summary>
    public required string Description { get; init; }

    /// <summary>File name, URL or GStreamer pipeline; null when <see cref="DeviceIndex"/> is used.</summary>
    public string? FileName { get; init; }

    public int? DeviceIndex { get; init; }

    public VideoCaptureAPIs Backend { get; init; } = VideoCaptureAPIs.ANY;

    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>Opens the capture; the result may be not opened (check <see cref="VideoCapture.IsOpened"/>).</summary>
    public VideoCapture Open()
    {
        var capture = DeviceIndex is { } index ? new VideoCapture(index, Backend) : new VideoCapture(FileName!, Backend);
        if (capture.IsOpened())
        {
            if (Width is { } w)
            {
                capture.Set(VideoCaptureProperties.FrameWidth, w);
            }

            if (Height is { } h)
            {
                capture.Set(VideoCaptureProperties.FrameHeight, h);
            }
        }

        return capture;
    }
}
