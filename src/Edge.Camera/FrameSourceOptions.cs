namespace Edge.Camera;

/// <summary>Options shared by all frame sources. Validated by <see cref="Validate"/> (errors name the field).</summary>
public sealed record FrameSourceOptions
{
    /// <summary>Restart a video file or image folder at its end instead of ending the run.</summary>
    public bool Loop { get; init; }

    /// <summary>Deliver frames of files and folders at this rate (frames per second); null = as fast as they are consumed.</summary>
    public double? Fps { get; init; }

    /// <summary>
    /// Play video files and image folders like a live camera: at <see cref="Fps"/>, or the video's own rate when
    /// <see cref="Fps"/> is null (image folders need <see cref="Fps"/>), skipping the frames that fell due while the
    /// reader was busy. The source is paced, so the pipeline also drops frames waiting for inference.
    /// </summary>
    public bool Realtime { get; init; }

    /// <summary>
    /// Decode a video file or image folder once into memory when the source opens, then play it from memory (with the
    /// same pacing, looping and realtime rules): a camera that hands over decoded frames, as CSI/USB cameras do on the
    /// vehicle. Measures the runtime without the host's software video decode. Files and folders only.
    /// </summary>
    public bool Preload { get; init; }

    /// <summary>Default <see cref="PreloadMaxBytes"/>: 1 GiB (about 370 frames of 1280x720 BGR).</summary>
    public const long DefaultPreloadMaxBytes = 1L << 30;

    /// <summary>Most pixel bytes <see cref="Preload"/> may hold; a longer recording is refused with an error naming the source.</summary>
    public long PreloadMaxBytes { get; init; } = DefaultPreloadMaxBytes;

    /// <summary>Requested capture width for cameras (v4l2, csi); null = the device default.</summary>
    public int? Width { get; init; }

    /// <summary>Requested capture height for cameras (v4l2, csi); null = the device default.</summary>
    public int? Height { get; init; }

    /// <summary>First reconnect delay of a lost live stream; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed reconnects before giving up; 0 = retry forever.</summary>
    public int MaxReconnectAttempts { get; init; }

    /// <summary>Default <see cref="MaxPixels"/>: 4096x2160 (DCI 4K), so UHD 3840x2160 (8,294,400) fits.</summary>
    public const long DefaultMaxPixels = 4096L * 2160;

    /// <summary>
    /// Largest frame accepted from an image or video file (width x height): checked from the image header before decoding
    /// (PNG, JPEG, BMP) and right after decoding otherwise; larger ones are refused with an error naming the file.
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>True when a <paramref name="width"/> x <paramref name="height"/> frame is larger than <see cref="MaxPixels"/>.</summary>
    public bool ExceedsMaxPixels(int width, int height) => (long)width * height > MaxPixels;

    /// <summary>The core of every source's refusal of a frame beyond <see cref="MaxPixels"/>: "WxH = N pixels exceeds source.max_pixels = M".</summary>
    public string MaxPixelsExceeded(int width, int height) =>
        $"{width}x{height} = {(long)width * height:N0} pixels exceeds source.max_pixels = {MaxPixels:N0}";

    /// <summary>Read failures of a live stream in a row that count as a lost stream.</summary>
    public int ReadFailuresBeforeReconnect { get; init; } = 3;

    public void Validate(string prefix = "source")
    {
        if (Fps is { } fps && !(fps > 0 && double.IsFinite(fps)))
        {
            throw new ArgumentException($"{prefix}.fps: expected a finite value > 0 or null, got {fps}.");
        }

        if (Width is < 1 || Height is < 1)
        {
            throw new ArgumentException($"{prefix}.width/height: expected values >= 1 or null, got {Width}x{Height}.");
        }

        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentException($"{prefix}.reconnect: expected 0 < initial delay <= max delay, got {ReconnectInitialDelay} and {ReconnectMaxDelay}.");
        }

        if (MaxReconnectAttempts < 0)
        {
            throw new ArgumentException($"{prefix}.max_reconnect_attempts: expected >= 0 (0 = forever), got {MaxReconnectAttempts}.");
        }

        if (MaxPixels < 1)
        {
            throw new ArgumentException($"{prefix}.max_pixels: expected >= 1 (width x height), got {MaxPixels}.");
        }

        if (PreloadMaxBytes < 1)
        {
            throw new ArgumentException($"{prefix}.preload_max_mb: expected > 0, got {PreloadMaxBytes / (1024.0 * 1024.0)} MB.");
        }

        if (ReadFailuresBeforeReconnect < 1)
        {
            throw new ArgumentException($"{prefix}.read_failures_before_reconnect: expected >= 1, got {ReadFailuresBeforeReconnect}.");
        }
    }
}
