using System.Buffers.Binary;
using Edge.Camera.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Edge.Camera.Tests.Sources;

/// <summary>Unreadable and oversized images: skipped (counted, named) in a folder run, refused before decoding when the header tells the size.</summary>
public sealed class ImageSourceFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeseg-cam-faults").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, int width, int height, int level)
    {
        var path = Path.Combine(_dir, name);
        using var mat = new Mat(height, width, MatType.CV_8UC3, Scalar.All(level));
        Assert.True(Cv2.ImWrite(path, mat));
        return path;
    }

    private static async Task<List<(int Level, int Width)>> ReadAll(IFrameSource source, int max)
    {
        var got = new List<(int, int)>();
        while (got.Count < max && await source.ReadAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                got.Add(((int)frame.Image.At<Vec3b>(0, 0).Item0, frame.Width));
            }
        }

        return got;
    }

    [Theory]
    [InlineData("a.png", 37, 23)]
    [InlineData("a.jpg", 40, 30)]
    [InlineData("a.bmp", 17, 9)]
    public void Header_size_matches_the_encoded_image(string name, int width, int height)
    {
        var path = Write(name, width, height, 50);
        Assert.True(ImageHeader.TryReadSize(path, out var w, out var h));
        Assert.Equal((width, height), (w, h));
    }

    [Fact]
    public async Task Folder_run_skips_an_unreadable_image_counts_and_names_it()
    {
        Write("a.png", 6, 4, 10);
        File.WriteAllText(Path.Combine(_dir, "b.png"), "not an image at all");
        Write("c.jpg", 6, 4, 30);
        var log = new ListLogger();
        using var source = new ImageFolderFrameSource(_dir, new FrameSourceOptions(), log);
        await source.OpenAsync(CancellationToken.None);
        var got = await ReadAll(source, 10);
        Assert.Equal(2, got.Count);
        Assert.Equal(10, got[0].Level);
        Assert.InRange(got[1].Level, 28, 32); // JPEG
        Assert.Equal(1, source.SkippedImages);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains(Path.Combine(_dir, "b.png"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Folder_run_fails_only_when_no_image_decodes_and_names_one()
    {
        File.WriteAllText(Path.Combine(_dir, "a.png"), "garbage");
        File.WriteAllBytes(Path.Combine(_dir, "b.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2]);
        using var source = new ImageFolderFrameSource(_dir, new FrameSourceOptions { Loop = true }, NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.ReadAsync(CancellationToken.None));
        Assert.Contains("none of its 2 image(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "b.jpg"), ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, source.SkippedImages);
    }

    [Fact]
    public async Task Oversized_png_is_refused_from_its_header_before_decoding()
    {
        // A real 8x8 PNG whose IHDR now claims 20000x20000: only the header can report that size (decoding it would fail on the CRC).
        var path = Write("huge.png", 8, 8, 1);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 20000);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 20000);
        File.WriteAllBytes(path, bytes);
        using var source = new ImageFolderFrameSource(path, new FrameSourceOptions(), NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.ReadAsync(CancellationToken.None));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("20000x20000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("source.max_pixels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Formats_without_a_parsed_header_are_checked_right_after_decoding()
    {
        Write("a.tiff", 40, 30, 5);
        Write("b.png", 20, 10, 7);
        using var source = new ImageFolderFrameSource(_dir, new FrameSourceOptions { MaxPixels = 1000 }, NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        var got = await ReadAll(source, 10);
        Assert.Equal([(7, 20)], got); // 40x30 = 1200 > 1000 skipped, 20x10 kept
        Assert.Equal(1, source.SkippedImages);
    }

    [Fact]
    public async Task Default_limit_takes_a_4K_UHD_frame()
    {
        Assert.True(FrameSourceOptions.DefaultMaxPixels >= 3840L * 2160);
        var path = Write("uhd.jpg", 3840, 2160, 90);
        using var source = new ImageFolderFrameSource(path, new FrameSourceOptions(), NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        using var frame = await source.ReadAsync(CancellationToken.None);
        Assert.NotNull(frame);
        Assert.Equal((3840, 2160), (frame.Width, frame.Height));
    }

    [Fact]
    public async Task Video_larger_than_the_limit_is_refused_at_open_naming_the_file()
    {
        var shared = Environment.GetEnvironmentVariable("EDGESEG_SHARED") is { Length: > 0 } s ? s : FindShared();
        var clip = Directory.GetFiles(Path.Combine(shared, "data", "videos"), "*.mp4").Order(StringComparer.Ordinal).First();
        using var probe = new VideoCapture(clip);
        var pixels = (long)probe.FrameWidth * probe.FrameHeight;
        using var source = new VideoFileFrameSource(clip, new FrameSourceOptions { MaxPixels = pixels - 1 }, NullLogger.Instance);
        var ex = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.OpenAsync(CancellationToken.None));
        Assert.Contains(clip, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{probe.FrameWidth}x{probe.FrameHeight}", ex.Message, StringComparison.Ordinal);

        using var fits = new VideoFileFrameSource(clip, new FrameSourceOptions { MaxPixels = pixels }, NullLogger.Instance);
        await fits.OpenAsync(CancellationToken.None);
        using var frame = await fits.ReadAsync(CancellationToken.None);
        Assert.NotNull(frame);
    }

    [Fact]
    public void Max_pixels_below_one_is_rejected_naming_the_field()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FrameSourceOptions { MaxPixels = 0 }.Validate());
        Assert.Contains("source.max_pixels", ex.Message, StringComparison.Ordinal);
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

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
