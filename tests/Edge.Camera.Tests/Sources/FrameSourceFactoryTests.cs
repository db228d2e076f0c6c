using Edge.Camera.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Camera.Tests.Sources;

public sealed class FrameSourceFactoryTests
{
    private readonly FrameSourceFactory _factory = new(NullLoggerFactory.Instance);

    [Theory]
    [InlineData("v4l2:///dev/video0", typeof(V4l2SourceKind))]
    [InlineData("0", typeof(V4l2SourceKind))]
    [InlineData("12", typeof(V4l2SourceKind))]
    [InlineData("csi://0", typeof(CsiSourceKind))]
    [InlineData("gst://videotestsrc ! videoconvert ! appsink", typeof(GstreamerSourceKind))]
    [InlineData("rtsp://cam.local:554/stream1", typeof(NetworkStreamSourceKind))]
    [InlineData("http://cam.local/video.mjpg", typeof(NetworkStreamSourceKind))]
    [InlineData("https://cam.local/live", typeof(NetworkStreamSourceKind))]
    [InlineData("/data/clip.mp4", typeof(VideoFileSourceKind))]
    [InlineData("file:///data/clip.MKV", typeof(VideoFileSourceKind))]
    [InlineData("/data/images/*.png", typeof(ImageFolderSourceKind))]
    [InlineData("frame.jpg", typeof(ImageFolderSourceKind))]
    [InlineData("synthetic://64x32", typeof(SyntheticSourceKind))]
    public void Recognises_each_source_kind(string uri, Type expected)
    {
        Assert.IsType(expected, _factory.KindOf(uri));
    }

    [Fact]
    public void Existing_folder_is_an_image_source()
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-cam").FullName;
        Assert.IsType<ImageFolderSourceKind>(_factory.KindOf(dir));
    }

    [Fact]
    public void Unknown_source_error_names_it()
    {
        var ex = Assert.Throws<FrameSourceException>(() => _factory.KindOf("/no/such/thing"));
        Assert.Contains("/no/such/thing", ex.Message, StringComparison.Ordinal);
        Assert.Equal("/no/such/thing", ex.SourceUri);
    }

    [Theory]
    [InlineData("csi://front")]
    [InlineData("v4l2://video0")]
    [InlineData("gst://videotestsrc ! fakesink")]
    [InlineData("synthetic://64")]
    public void Malformed_settings_are_rejected_with_the_setting_in_the_message(string uri)
    {
        var ex = Assert.Throws<FrameSourceException>(() => _factory.Create(uri, new FrameSourceOptions()));
        Assert.Contains(uri, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csi_pipeline_uses_nvargus_nvvidconv_and_appsink()
    {
        var pipeline = CsiSourceKind.Pipeline(1, new FrameSourceOptions { Width = 1920, Height = 1080, Fps = 30 });
        Assert.StartsWith("nvarguscamerasrc sensor-id=1 ! video/x-raw(memory:NVMM),width=1920,height=1080,framerate=30/1 ! nvvidconv ! video/x-raw,format=BGRx ! videoconvert", pipeline, StringComparison.Ordinal);
        Assert.EndsWith("appsink drop=true max-buffers=1", pipeline, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_password_is_redacted_in_descriptions()
    {
        var source = _factory.Create("rtsp://admin:secret@cam.local:554/s1", new FrameSourceOptions());
        Assert.DoesNotContain("secret", source.Description, StringComparison.Ordinal);
        Assert.Contains("cam.local", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unopenable_video_file_error_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgeseg-missing-{Guid.NewGuid():N}.mp4");
        using var source = _factory.Create(path, new FrameSourceOptions());
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_video_file_error_names_the_file()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("edgeseg-cam").FullName, "corrupt.mp4");
        await File.WriteAllTextAsync(path, "not a video");
        using var source = _factory.Create(path, new FrameSourceOptions());
        var ex = await Assert.ThrowsAsync<FrameSourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_name_the_field()
    {
        var ex = Assert.Throws<ArgumentException>(() => _factory.Create("synthetic://8x8", new FrameSourceOptions { Fps = -1 }));
        Assert.Contains("source.fps", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-1", ex.Message, StringComparison.Ordinal);
    }
}
