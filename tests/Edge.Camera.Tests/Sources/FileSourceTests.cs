using System.Diagnostics;
using Edge.Camera.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Camera.Tests.Sources;

public sealed class FileSourceTests
{
    private static string Shared => Environment.GetEnvironmentVariable("EDGESEG_SHARED") is { Length: > 0 } s ? s : FindShared();

    [Fact]
    public async Task Video_file_source_decodes_every_frame_of_the_shared_h264_clip()
    {
        var clip = Directory.GetFiles(Path.Combine(Shared, "data", "videos"), "*.mp4").Order(StringComparer.Ordinal)
            .Select(p => (Path: p, Size: ProbeSize(p))).Single(c => c.Size == (1280, 720)).Path;
        using var source = new VideoFileFrameSource(clip, new FrameSourceOptions(), NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        var count = 0;
        var lastId = -1L;
        while (await source.ReadAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                Assert.Equal(1280, frame.Width);
                Assert.Equal(720, frame.Height);
                Assert.Equal(lastId + 1, frame.Id);
                lastId = frame.Id;
                count++;
            }
        }

        Assert.Equal(38, count);
        Assert.Equal(source.FrameCount, count);
        Assert.Null(await source.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Image_folder_source_reads_files_in_ordinal_order_and_ends()
    {
        var dir = MakeFolder(("b.png", 20), ("a.png", 10), ("c.jpg", 30), ("notes.txt", 0));
        using var source = new ImageFolderFrameSource(dir, new FrameSourceOptions(), NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        Assert.Equal(["a.png", "b.png", "c.jpg"], source.Files.Select(Path.GetFileName));
        Assert.Equal([10, 20, 30], await ReadLevels(source, 10));
    }

    [Fact]
    public async Task Image_glob_loops_when_asked()
    {
        var dir = MakeFolder(("1.png", 1), ("2.png", 2), ("3.jpg", 3));
        using var source = new ImageFolderFrameSource(Path.Combine(dir, "*.png"), new FrameSourceOptions { Loop = true }, NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        Assert.Equal([1, 2, 1, 2, 1], await ReadLevels(source, 5));
    }

    [Fact]
    public async Task Fixed_rate_spaces_frames()
    {
        var dir = MakeFolder(("1.png", 1), ("2.png", 2), ("3.png", 3), ("4.png", 4));
        using var source = new ImageFolderFrameSource(dir, new FrameSourceOptions { Fps = 20 }, NullLogger.Instance);
        Assert.True(source.IsPaced);
        await source.OpenAsync(CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(4, (await ReadLevels(source, 10)).Count);
        Assert.InRange(stopwatch.Elapsed.TotalMilliseconds, 140, 2000); // 3 intervals of 50 ms after the first frame
    }

    [Fact]
    public async Task Empty_folder_error_names_the_folder()
    {
        var dir = MakeFolder(("readme.txt", 0));
        using var source = new ImageFolderFrameSource(dir, new FrameSourceOptions(), NullLogger.Instance);
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());
        Assert.Contains(dir, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undecodable_image_error_names_the_file()
    {
        var dir = MakeFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "broken.png"), "nope");
        using var source = new ImageFolderFrameSource(dir, new FrameSourceOptions(), NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => source.ReadAsync(CancellationToken.None).AsTask());
        Assert.Contains("broken.png", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synthetic_source_frames_are_bgr_with_increasing_ids()
    {
        using var source = new SyntheticFrameSource(16, 8, frameCount: 3);
        await source.OpenAsync(CancellationToken.None);
        var ids = new List<long>();
        while (await source.ReadAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
                Assert.Equal(TimeSpan.Zero, frame.CaptureTimestamp.Offset);
                ids.Add(frame.Id);
            }
        }

        Assert.Equal([0L, 1L, 2L], ids);
        Assert.All(source.ProducedFrames, f => Assert.True(f.IsDisposed));
    }

    private static async Task<List<int>> ReadLevels(IFrameSource source, int max)
    {
        var levels = new List<int>();
        while (levels.Count < max && await source.ReadAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                levels.Add(frame.Image.At<Vec3b>(0, 0).Item0);
            }
        }

        return levels;
    }

    private static string MakeFolder(params (string Name, int Level)[] files)
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-cam").FullName;
        foreach (var (name, level) in files)
        {
            var path = Path.Combine(dir, name);
            if (name.EndsWith(".txt", StringComparison.Ordinal))
            {
                File.WriteAllText(path, "x");
                continue;
            }

            using var mat = new Mat(4, 6, MatType.CV_8UC3, Scalar.All(level));
            Cv2.ImWrite(path, mat, name.EndsWith(".jpg", StringComparison.Ordinal) ? [new ImageEncodingParam(ImwriteFlags.JpegQuality, 100)] : []);
        }

        return dir;
    }

    private static (int, int) ProbeSize(string path)
    {
        using var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        return (capture.FrameWidth, capture.FrameHeight);
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeSeg.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
        }

        throw new DirectoryNotFoundException("EdgeSeg.sln not found above the test directory; set EDGESEG_SHARED.");
    }
}
