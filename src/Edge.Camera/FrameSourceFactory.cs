using Edge.Camera.Sources;
using Microsoft.Extensions.Logging;

namespace Edge.Camera;

/// <summary>
/// Turns a source setting into an <see cref="IFrameSource"/>: the first <see cref="IFrameSourceKind"/> that recognises
/// it creates the source (schemes first, then device indexes, video files and image folders/globs).
/// </summary>
public sealed class FrameSourceFactory
{
    private readonly IReadOnlyList<IFrameSourceKind> _kinds;
    private readonly ILoggerFactory _loggerFactory;

    public FrameSourceFactory(ILoggerFactory loggerFactory, IReadOnlyList<IFrameSourceKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        _kinds = kinds ?? DefaultKinds;
    }

    /// <summary>Every built-in kind, in matching order.</summary>
    public static IReadOnlyList<IFrameSourceKind> DefaultKinds { get; } =
    [
        new V4l2SourceKind(),
        new CsiSourceKind(),
        new GstreamerSourceKind(),
        new NetworkStreamSourceKind(),
        new SyntheticSourceKind(),
        new VideoFileSourceKind(),
        new ImageFolderSourceKind(),
    ];

    /// <summary>The kind that handles <paramref name="uri"/>; throws <see cref="FrameSourceException"/> when none does.</summary>
    public IFrameSourceKind KindOf(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw new FrameSourceException(uri ?? string.Empty, $"Source: expected one of {string.Join(" | ", _kinds.Select(k => k.Syntax))}, got an empty setting.");
        }

        return _kinds.FirstOrDefault(k => k.Matches(uri.Trim()))
            ?? throw new FrameSourceException(uri, $"Source '{uri}': not a known source (no such file/folder, and not one of {string.Join(" | ", _kinds.Select(k => k.Syntax))}).");
    }

    /// <summary>Creates (does not open) the source for <paramref name="uri"/> with <paramref name="options"/> (its <see cref="FrameSourceOptions.Uri"/> replaced).</summary>
    public IFrameSource Create(string uri, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options with { Uri = uri });
    }

    /// <summary>Creates (does not open) the source <paramref name="options"/> name (<see cref="FrameSourceOptions.Uri"/>, the <c>source</c> section).</summary>
    public IFrameSource Create(FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var uri = options.Uri;
        var kind = KindOf(uri);
        if (!options.Preload)
        {
            return kind.Create(uri.Trim(), options, _loggerFactory);
        }

        if (kind is not (VideoFileSourceKind or ImageFolderSourceKind))
        {
            throw new FrameSourceException(uri, $"Source '{uri}': source.preload: expected a video file or an image folder, got a {kind.Name} source (live sources cannot be preloaded).");
        }

        // One plain pass into memory; pacing, looping and realtime apply to the playback from memory.
        var pass = options with { Preload = false, Loop = false, Realtime = false, Fps = null };
        return new PreloadedFrameSource(kind.Create(uri.Trim(), pass, _loggerFactory), options, _loggerFactory.CreateLogger<PreloadedFrameSource>());
    }
}
