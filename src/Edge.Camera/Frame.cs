using OpenCvSharp;

namespace Edge.Camera;

/// <summary>
/// One captured frame: a BGR 8-bit <see cref="Mat"/> owned by this object until it is disposed. Whoever holds a frame
/// owns it (a frame dropped by a channel is disposed in the drop callback).
/// </summary>
public sealed class Frame : IDisposable
{
    private Mat? _image;

    public Frame(long id, DateTimeOffset captureTimestamp, Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Frame {id}: expected a non-empty CV_8UC3 (BGR) image, got {(image.Empty() ? "an empty image" : image.Type().ToString())}.", nameof(image));
        }

        Id = id;
        CaptureTimestamp = captureTimestamp.ToUniversalTime();
        _image = image;
        Width = image.Width;
        Height = image.Height;
    }

    /// <summary>Sequence number of the frame within its source (0-based, counts frames read, not frames kept).</summary>
    public long Id { get; }

    /// <summary>When the frame was captured (UTC).</summary>
    public DateTimeOffset CaptureTimestamp { get; }

    /// <summary>Monotonic timestamp (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>) taken when the frame was read.</summary>
    public long CaptureTicks { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public int Width { get; }

    public int Height { get; }

    public bool IsDisposed => _image is null;

    /// <summary>The BGR 8-bit pixels (CV_8UC3).</summary>
    public Mat Image => _image ?? throw new ObjectDisposedException(nameof(Frame), $"Frame {Id} was disposed.");

    /// <summary>
    /// The frame already resized to the network's input size (made on the capture thread, so that the inference stage
    /// only converts it), or null. Owned by this frame.
    /// </summary>
    public Mat? ModelSized { get; private set; }

    /// <summary>Attaches <see cref="ModelSized"/> (this frame takes ownership; a previous one is disposed).</summary>
    public void AttachModelSized(Mat resized)
    {
        ArgumentNullException.ThrowIfNull(resized);
        ObjectDisposedException.ThrowIf(_image is null, this);
        ModelSized?.Dispose();
        ModelSized = resized;
    }

    public void Dispose()
    {
        var image = Interlocked.Exchange(ref _image, null);
        image?.Dispose();
        ModelSized?.Dispose();
        ModelSized = null;
    }
}
