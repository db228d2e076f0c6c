using Edge.Camera.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Camera.Tests.Sources;

/// <summary><c>source.preload</c>: a recording decoded once into memory and played from there like a camera.</summary>
public sealed class PreloadedSourceTests
{
    [Fact]
    public async Task Preloaded_video_delivers_the_frames_of_the_file_and_loops_from_memory()
    {
        var clip = Path.Combine(Shared(), "data", "videos", "highway-solidWhiteRight.mp4");
        var factory = new FrameSourceFactory(NullLoggerFactory.Instance);
        using var source = factory.Create(clip, new FrameSourceOptions { Preload = true, Loop = true });
        var preloaded = Assert.IsType<PreloadedFrameSource>(source);
        await source.OpenAsync(CancellationToken.None);
        var count = preloaded.FrameCount;
        Assert.True(count > 10, $"expected the clip's frames in memory, got {count}");

        using var plain = new VideoCapture(clip, VideoCaptureAPIs.FFMPEG);
        using var expected = new Mat();
        for (var k = 0; k < count + 3; k++)
        {
            using var frame = await source.ReadAsync(CancellationToken.None);
            Assert.NotNull(frame);
            Assert.Equal(k, frame.Id);
            if (k == count)
            {
                plain.Set(VideoCaptureProperties.PosFrames, 0);
            }

            Assert.True(plain.Read(expected));
            Assert.Equal(0, Cv2.Norm(expected, frame.Image, NormTypes.L1));
        }
    }

    [Fact]
    public async Task Preloaded_folder_ends_after_one_pass_without_loop_and_frames_are_independent_copies()
    {
        var dir = Folder(3);
        var factory = new FrameSourceFactory(NullLoggerFactory.Instance);
        using var source = factory.Create(dir, new FrameSourceOptions { Preload = true });
        await source.OpenAsync(CancellationToken.None);
        var first = await source.ReadAsync(CancellationToken.None);
        Assert.NotNull(first);
        first.Image.SetTo(Scalar.All(255)); // the consumer owns its copy: scribbling on it must not reach the stored frame
        first.Dispose();
        Assert.NotNull(await source.ReadAsync(CancellationToken.None));
        Assert.NotNull(await source.ReadAsync(CancellationToken.None));
        Assert.Null(await source.ReadAsync(CancellationToken.None));

        using var again = factory.Create(dir, new FrameSourceOptions { Preload = true, Loop = true });
        await again.OpenAsync(CancellationToken.None);
        for (var k = 0; k < 4; k++)
        {
            using var f = await again.ReadAsync(CancellationToken.None);
            Assert.Equal(10 * ((k % 3) + 1), f!.Image.At<Vec3b>(0, 0).Item0);
        }
    }

    [Fact]
    public async Task Preloaded_folder_in_realtime_skips_frames_that_fell_due_and_counts_them_in_the_ids()
    {
        var dir = Folder(8);
        var clock = new JumpClock();
        var options = new FrameSourceOptions { Preload = true, Realtime = true, Fps = 25 };
        var factory = new FrameSourceFactory(NullLoggerFactory.Instance);
        var pass = options with { Preload = false, Realtime = false, Fps = null };
        using var source = new PreloadedFrameSource(factory.KindOf(dir).Create(dir, pass, NullLoggerFactory.Instance), options, NullLogger.Instance, clock);
        Assert.True(source.IsPaced);
        await source.OpenAsync(CancellationToken.None);
        using (var f0 = await source.ReadAsync(CancellationToken.None))
        {
            Assert.Equal(0, f0!.Id);
        }

        clock.Advance(TimeSpan.FromMilliseconds(130)); // frames 1..3 fell due while the reader was busy
        using var f3 = await source.ReadAsync(CancellationToken.None);
        Assert.Equal(3, f3!.Id);
        Assert.Equal(2, source.Skipped);
        Assert.Equal(40, f3.Image.At<Vec3b>(0, 0).Item0); // recorded frame 3's pixels
    }

    [Fact]
    public void Preload_of_a_live_source_is_refused_naming_the_setting()
    {
        var factory = new FrameSourceFactory(NullLoggerFactory.Instance);
        var ex = Assert.Throws<FrameSourceException>(() => factory.Create("rtsp://127.0.0.1:1/cam", new FrameSourceOptions { Preload = true }));
        Assert.Contains("source.preload", ex.Message);
        Assert.Contains("video file or an image folder", ex.Message);
    }

    [Fact]
    public async Task Preload_beyond_its_memory_limit_fails_naming_the_limit_and_holds_nothing()
    {
        var dir = Folder(5);
        var factory = new FrameSourceFactory(NullLoggerFactory.Instance);
        // 4x6 BGR = 72 bytes a frame: room for 2.
        using var source = factory.Create(dir, new FrameSourceOptions { Preload = true, PreloadMaxMb = 150 / (1024.0 * 1024.0) });
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());
        Assert.Contains("source.preload_max_mb", ex.Message);
        Assert.Contains("2 frame(s)", ex.Message);
        Assert.Equal(0, ((PreloadedFrameSource)source).FrameCount);
        Assert.Throws<ArgumentException>(() => new FrameSourceOptions { PreloadMaxMb = 0 }.Validate());
    }

    [Fact]
    public async Task Live_stream_frame_beyond_max_pixels_fails_naming_the_source_and_the_setting()
    {
        // A live source over the clip (FFmpeg backend): the same code path as an RTSP/HTTP stream or a camera.
        var clip = Path.Combine(Shared(), "data", "videos", "highway-solidWhiteRight.mp4");
        var target = new CaptureTarget { Description = "rtsp://cam.local/stream", FileName = clip, Backend = VideoCaptureAPIs.FFMPEG };
        using (var fits = new LiveStreamFrameSource(target, new FrameSourceOptions(), NullLogger.Instance))
        {
            await fits.OpenAsync(CancellationToken.None);
            using var frame = await fits.ReadAsync(CancellationToken.None);
            Assert.NotNull(frame);
        }

        using var tooLarge = new LiveStreamFrameSource(target, new FrameSourceOptions { MaxPixels = 1000 }, NullLogger.Instance);
        await tooLarge.OpenAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => tooLarge.ReadAsync(CancellationToken.None).AsTask());
        Assert.Contains("rtsp://cam.local/stream", ex.Message);
        Assert.Contains("source.max_pixels = 1,000", ex.Message);
    }

    [Fact]
    public async Task Lost_stream_is_reopened_with_the_shared_backoff_and_gives_up_after_max_attempts()
    {
        var clip = Path.Combine(Directory.CreateTempSubdirectory("edgeseg-live").FullName, "cam.mp4");
        File.Copy(Path.Combine(Shared(), "data", "videos", "highway-vehicles.mp4"), clip);
        var target = new CaptureTarget { Description = "rtsp://cam.local/lost", FileName = clip, Backend = VideoCaptureAPIs.FFMPEG };
        var options = new FrameSourceOptions
        {
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(5),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectAttempts = 3,
            ReadFailuresBeforeReconnect = 1,
        };
        using var source = new LiveStreamFrameSource(target, options, NullLogger.Instance);
        await source.OpenAsync(CancellationToken.None);
        var frames = 0;
        while (source.Reconnects == 0)
        {
            using var frame = await source.ReadAsync(CancellationToken.None); // the end of the file reads as a lost stream
            Assert.NotNull(frame);
            frames++;
            Assert.True(frames < 10_000, "the stream was never reopened");
        }

        Assert.Equal(1, source.Reconnects);
        File.Delete(clip); // now it cannot be reopened: 3 attempts, then a clear error
        FrameSourceException? lost = null;
        for (var i = 0; i < 10_000 && lost is null; i++)
        {
            try
            {
                using var frame = await source.ReadAsync(CancellationToken.None);
            }
            catch (FrameSourceException ex)
            {
                lost = ex;
            }
        }

        Assert.NotNull(lost);
        Assert.Contains("rtsp://cam.local/lost", lost.Message);
        Assert.Contains("after 3 attempts", lost.Message);
    }

    private static string Folder(int images)
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-preload").FullName;
        for (var i = 0; i < images; i++)
        {
            using var mat = new Mat(4, 6, MatType.CV_8UC3, Scalar.All(10 * (i + 1)));
            Cv2.ImWrite(Path.Combine(dir, $"{i}.png"), mat);
        }

        return dir;
    }

    private static string Shared() => RealtimePlaybackTests.SharedPath();
}
