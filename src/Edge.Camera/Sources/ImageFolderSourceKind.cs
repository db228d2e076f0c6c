using Microsoft.Extensions.Logging;

namespace Edge.Camera.Sources;

/// <summary>An image folder, glob or single image: <c>images/</c>, <c>images/*.png</c>, <c>file:///data/img.jpg</c>.</summary>
public sealed class ImageFolderSourceKind : IFrameSourceKind
{
    public string Name => "images";

    public string Syntax => "images/ | images/*.png | image.jpg";

    public bool Matches(string uri)
    {
        var path = FileUri.LocalPath(uri);
        return path.IndexOfAny(['*', '?']) >= 0
            || Directory.Exists(path)
            || ImageFolderFrameSource.ImageExtensions.Contains(Path.GetExtension(path));
    }

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return new ImageFolderFrameSource(FileUri.LocalPath(uri), options, loggerFactory.CreateLogger<ImageFolderFrameSource>());
    }
}
