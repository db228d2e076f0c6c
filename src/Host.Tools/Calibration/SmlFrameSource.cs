using OpenCvSharp;

namespace Host.Tools.Calibration;

/// <summary>
/// Unlabelled driving frames for <c>calibrate-sml</c>: every image under a folder (recursively; .png/.jpg/.jpeg, files
/// whose name contains <c>gtFine</c> and folders named <c>labels_masks</c> skipped) and every <see cref="VideoStride"/>-th
/// frame of a video file (.mp4/.avi/.mkv/.mov). Frames come as BGR mats, in ordinal path order.
/// </summary>
public sealed class SmlFrameSource
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov"];

    public SmlFrameSource(IReadOnlyList<string> paths, int videoStride, int maxFramesPerSource)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("--data: expected at least one folder or video, got none.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(videoStride, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFramesPerSource, 1);
        foreach (var path in paths)
        {
            if (!Directory.Exists(path) && !(File.Exists(path) && IsVideo(path)))
            {
                throw new ArgumentException($"--data: '{path}' is neither a folder nor a video file ({string.Join(", ", VideoExtensions)}).");
            }
        }

        Paths = paths;
        VideoStride = videoStride;
        MaxFramesPerSource = maxFramesPerSource;
    }

    public IReadOnlyList<string> Paths { get; }

    public int VideoStride { get; }

    public int MaxFramesPerSource { get; }

    /// <summary>Yields (description, frame) pairs; each frame is disposed after the caller's step.</summary>
    public IEnumerable<(string Name, Mat Bgr)> Frames()
    {
        foreach (var path in Paths)
        {
            var frames = Directory.Exists(path) ? ImageFrames(path) : VideoFrames(path);
            foreach (var frame in frames.Take(MaxFramesPerSource))
            {
                yield return frame;
            }
        }
    }

    /// <summary>How many frames <see cref="Frames"/> yields (images listed, videos by their container's frame count), for progress.</summary>
    public int CountFrames() => Paths.Sum(p => Math.Min(MaxFramesPerSource, Directory.Exists(p) ? ImageFiles(p).Count : VideoFrameCount(p)));

    private static bool IsVideo(string path) => VideoExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static List<string> ImageFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Where(f => !Path.GetFileName(f).Contains("gtFine", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar).Contains("labels_masks"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<(string, Mat)> ImageFrames(string directory)
    {
        var files = ImageFiles(directory);
        if (files.Count == 0)
        {
            throw new InvalidDataException($"--data: no images ({string.Join(", ", ImageExtensions)}) in '{directory}'.");
        }

        foreach (var file in files)
        {
            using var bgr = Cv2.ImRead(file, ImreadModes.Color);
            if (bgr.Empty())
            {
                throw new InvalidDataException($"--data: cannot decode image '{file}'.");
            }

            yield return (file, bgr);
        }
    }

    private int VideoFrameCount(string path)
    {
        using var capture = new VideoCapture(path);
        return (Math.Max(capture.FrameCount, 0) + VideoStride - 1) / VideoStride;
    }

    private IEnumerable<(string, Mat)> VideoFrames(string path)
    {
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            throw new InvalidDataException($"--data: cannot open video '{path}'.");
        }

        using var frame = new Mat();
        var index = 0;
        var yielded = 0;
        while (capture.Read(frame) && !frame.Empty())
        {
            if (index++ % VideoStride == 0)
            {
                yielded++;
                yield return ($"{path}#{index - 1}", frame);
            }
        }

        if (yielded == 0)
        {
            throw new InvalidDataException($"--data: video '{path}' has no decodable frame.");
        }
    }
}
