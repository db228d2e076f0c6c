using System.Text.Json.Serialization;

namespace Edge.Camera;

/// <summary>
/// What to read frames from and how: the <c>source</c> section of <c>edgeseg.json</c> itself (snake_case names,
/// <c>EDGESEG__SOURCE__*</c> variables; docs/runtime.md), so the file binds to the record the sources take. Rules:
/// <see cref="Validate(string)"/> (each "source.field: expected ..., got ..."); <see cref="FrameSourceFactory"/> checks
/// them with <see cref="Validate()"/>.
/// </summary>
public sealed record FrameSourceOptions
{
    /// <summary>Default <see cref="Uri"/>: the vehicle's first V4L2 camera.</summary>
    public const string DefaultUri = "v4l2:///dev/video0";

    /// <summary>
    /// The source setting (<c>source.uri</c>): v4l2:///dev/video0 | 0 | csi://0 | gst://... | rtsp://... | http://... |
    /// clip.mp4 | folder/ | folder/*.png; <see cref="FrameSourceFactory.Create(FrameSourceOptions)"/> opens it.
    /// </summary>
    public string Uri { get; init; } = DefaultUri;

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

    private const double BytesPerMb = 1024.0 * 1024.0;

    /// <summary>Most memory <see cref="Preload"/> may hold, in MiB (<c>source.preload_max_mb</c>, default 1024); see <see cref="PreloadMaxBytes"/>.</summary>
    public double PreloadMaxMb { get; init; } = DefaultPreloadMaxBytes / BytesPerMb;

    /// <summary>Most pixel bytes <see cref="Preload"/> may hold (<see cref="PreloadMaxMb"/> in bytes); a longer recording is refused with an error naming the source.</summary>
    [JsonIgnore]
    public long PreloadMaxBytes => (long)(PreloadMaxMb * BytesPerMb);

    /// <summary>Requested capture width for cameras (v4l2, csi); null = the device default.</summary>
    public int? Width { get; init; }

    /// <summary>Requested capture height for cameras (v4l2, csi); null = the device default.</summary>
    public int? Height { get; init; }

    /// <summary>
    /// First reconnect delay of a lost live stream (<c>source.reconnect_initial_seconds</c>, default 0.5 s); doubles per
    /// failed attempt up to <see cref="ReconnectMaxDelay"/>.
    /// </summary>
    [JsonPropertyName("reconnect_initial_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap of the reconnect delay (<c>source.reconnect_max_seconds</c>, default 30 s).</summary>
    [JsonPropertyName("reconnect_max_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
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

    /// <summary>Rule violations under <paramref name="prefix"/> (each "prefix.field: expected ..., got ..."); empty when valid.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(Uri))
        {
            yield return $"{prefix}.uri: expected a camera, stream, file or folder, got '{Uri}'";
        }

        if (Fps is { } fps && !(fps > 0 && double.IsFinite(fps)))
        {
            yield return $"{prefix}.fps: expected a finite value > 0 or null, got {fps}";
        }

        if (Width is < 1 || Height is < 1)
        {
            yield return $"{prefix}.width/height: expected values >= 1 or null, got {Width}x{Height}";
        }

        if (ReconnectInitialDelay <= TimeSpan.Zero)
        {
            yield return $"{prefix}.reconnect_initial_seconds: expected > 0, got {ReconnectInitialDelay.TotalSeconds}";
        }
        else if (ReconnectMaxDelay < ReconnectInitialDelay)
        {
            yield return $"{prefix}.reconnect_max_seconds: expected >= reconnect_initial_seconds ({ReconnectInitialDelay.TotalSeconds}), got {ReconnectMaxDelay.TotalSeconds}";
        }

        if (MaxReconnectAttempts < 0)
        {
            yield return $"{prefix}.max_reconnect_attempts: expected >= 0 (0 = forever), got {MaxReconnectAttempts}";
        }

        if (MaxPixels < 1)
        {
            yield return $"{prefix}.max_pixels: expected >= 1 (width x height), got {MaxPixels}";
        }

        if (!(PreloadMaxMb > 0) || PreloadMaxBytes < 1)
        {
            yield return $"{prefix}.preload_max_mb: expected > 0, got {PreloadMaxMb} MB";
        }

        if (ReadFailuresBeforeReconnect < 1)
        {
            yield return $"{prefix}.read_failures_before_reconnect: expected >= 1, got {ReadFailuresBeforeReconnect}";
        }
    }

    /// <summary>Throws when <see cref="Validate(string)"/> finds violations (under <c>source</c>): how the factory checks the options it is given.</summary>
    /// <exception cref="ArgumentException">Any violation; the message lists them all.</exception>
    public void Validate()
    {
        var errors = Validate("source").ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors) + ".");
        }
    }
}
