using Edge.Camera.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Camera.Tests.Sources;

/// <summary>Realtime playback of files and folders (like a live camera), on a virtual clock: no wall-clock timing.</summary>
public sealed class RealtimePlaybackTests
{
    private static readonly TimeSpan Interval25 = TimeSpan.FromMilliseconds(40);

    [Fact]
    public void Pacer_waits_for_the_next_frame_and_skips_the_frames_that_fell_due_meanwhile()
    {
        var clock = new JumpClock();
        var pacer = new LiveRatePacer(25, clock);
        Assert.Equal((TimeSpan.Zero, 0L), pacer.Schedule(clock.GetTimestamp()));   // frame 0 at once
        Assert.Equal((Interval25, 0L), pacer.Schedule(clock.GetTimestamp()));      // frame 1 due in 40 ms
        clock.Advance(Interval25);
        Assert.Equal((Interval25, 0L), pacer.Schedule(clock.GetTimestamp()));      // frame 2 at 80 ms
        clock.Advance(TimeSpan.FromMilliseconds(210));                             // waited for frame 2, then busy until 250 ms
        Assert.Equal((TimeSpan.Zero, 3L), pacer.Schedule(clock.GetTimestamp()));   // frames 3, 4, 5 gone: frame 6 (240 ms)
        Assert.Equal(TimeSpan.FromMilliseconds(30), pacer.Schedule(clock.GetTimestamp()).Wait); // frame 7 at 280 ms
        Assert.Equal(3, pacer.Skipped);
    }

    [Fact]
    public async Task Video_plays_at_its_native_rate_and_drops_frames_like_a_camera_when_the_reader_is_late()
    {
        var clip = Path.Combine(SharedPath(), "data", "videos", "highway-vehicles.mp4");
        var clock = new JumpClock();
        using var source = new VideoFileFrameSource(clip, new FrameSourceOptions { Realtime = true }, NullLogger.Instance, clock);
        Assert.True(source.IsPaced);
        await source.OpenAsync(CancellationToken.None);
        Assert.Equal(25, source.FramesPerSecond, 3);

        var read = new List<(long Id, DateTimeOffset At, Mat Image)>();
        for (var i = 0; i < 4; i++)
        {
            read.Add(await ReadAsync(source));
        }

        // Kept up: every frame, one native interval apart on the virtual clock.
        Assert.Equal([0L, 1L, 2L, 3L], read.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 4).Select(k => clock.At(k * Interval25)), read.Select(r => r.At));

        clock.Advance(TimeSpan.FromMilliseconds(130)); // busy: 120 ms + 130 ms = 250 ms, frames 4 and 5 fell due unread
        read.Add(await ReadAsync(source));
        Assert.Equal(6, read[^1].Id);
        Assert.Equal(2, source.Skipped);
        read.Add(await ReadAsync(source));
        Assert.Equal(7, read[^1].Id);
        Assert.Equal(clock.At(7 * Interval25), read[^1].At);

        // The pixels are those of recorded frames 6 and 7, not of the next frames in the file.
        using var plain = new VideoCapture(clip, VideoCaptureAPIs.FFMPEG);
        using var expected = new Mat();
        for (var k = 0; k <= 7; k++)
        {
            Assert.True(plain.Read(expected));
            var match = read.FirstOrDefault(r => r.Id == k);
            if (match.Image is not null)
            {
                Assert.Equal(0, Cv2.Norm(expected, match.Image, NormTypes.L1));
            }
        }

        read.ForEach(r => r.Image.Dispose());
    }

    [Fact]
    public async Task Image_folder_plays_at_the_given_rate_skipping_unread_images()
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-rt").FullName;
        for (var i = 0; i < 6; i++)
        {
            using var mat = new Mat(4, 6, MatType.CV_8UC3, Scalar.All(10 * (i + 1)));
            Cv2.ImWrite(Path.Combine(dir, $"{i}.png"), mat);
        }

        var clock = new JumpClock();
        using var source = new ImageFolderFrameSource(dir, new FrameSourceOptions { Realtime = true, Fps = 10, Loop = true }, NullLogger.Instance, clock);
        await source.OpenAsync(CancellationToken.None);
        var levels = new List<int>();
        levels.Add(await LevelAsync(source));            // image 0 at 0 ms
        levels.Add(await LevelAsync(source));            // image 1 at 100 ms
        clock.Advance(TimeSpan.FromMilliseconds(350));   // 450 ms: images 2 and 3 fell due unread
        levels.Add(await LevelAsync(source));            // image 4
        levels.Add(await LevelAsync(source));            // image 5 at 500 ms
        levels.Add(await LevelAsync(source));            // looped: image 0 again (frame 6)
        Assert.Equal([10, 20, 50, 60, 10], levels);
        Assert.Equal(2, source.Skipped);
        Assert.Equal(TimeSpan.FromMilliseconds(600), clock.Elapsed);
    }

    [Fact]
    public async Task Realtime_image_folder_without_a_rate_is_refused_naming_the_setting()
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-rt").FullName;
        using (var mat = new Mat(4, 6, MatType.CV_8UC3, Scalar.All(1)))
        {
            Cv2.ImWrite(Path.Combine(dir, "a.png"), mat);
        }

        using var source = new ImageFolderFrameSource(dir, new FrameSourceOptions { Realtime = true }, NullLogger.Instance, new JumpClock());
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());
        Assert.Contains("source.fps", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<(long Id, DateTimeOffset At, Mat Image)> ReadAsync(IFrameSource source)
    {
        using var frame = await source.ReadAsync(CancellationToken.None) ?? throw new InvalidOperationException("source ended");
        return (frame.Id, frame.CaptureTimestamp, frame.Image.Clone());
    }

    private static async Task<int> LevelAsync(IFrameSource source)
    {
        using var frame = await source.ReadAsync(CancellationToken.None) ?? throw new InvalidOperationException("source ended");
        return frame.Image.At<Vec3b>(0, 0).Item0;
    }

    internal static string SharedPath()
    {
        if (Environment.GetEnvironmentVariable("EDGESEG_SHARED") is { Length: > 0 } shared)
        {
            return shared;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeSeg.sln")))
            {
                return Path.Combine(dir.Parent!.FullName, "shared");
            }
        }

        throw new InvalidOperationException("EdgeSeg.sln not found above the test folder");
    }
}
