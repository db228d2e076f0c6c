using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Camera.Sources;

/// <summary>
/// Images of a folder, a glob (<c>dir/*.png</c>) or a single image file, in ordinal file-name order. The last image
/// ends the run (or the sequence restarts with <see cref="FrameSourceOptions.Loop"/>); an optional fixed rate paces it.
/// With <see cref="FrameSourceOptions.Realtime"/> the images are frames of a live camera at <see cref="FrameSourceOptions.Fps"/>:
/// images that fell due while the reader was busy are skipped unread (<see cref="Skipped"/>), frame ids count them.
/// </summary>
public sealed class ImageFolderFrameSource : IFrameSource
{
    /// <summary>Extensions taken from a folder (case-insensitive).</summary>
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff",
    };

    private readonly string _pattern;
    private readonly FrameSourceOptions _options;
    private readonly ILogger _logger;
    private readonly FramePacer _pacer;
    private readonly TimeProvider _time;
    private LiveRatePacer? _live;
    private string[] _files = [];
    private int _position;
    private long _nextId;

    public ImageFolderFrameSource(string pattern, FrameSourceOptions options, ILogger logger)
        : this(pattern, options, logger, TimeProvider.System)
    {
    }

    /// <param name="time">The clock of <see cref="FrameSourceOptions.Realtime"/> playback (tests inject one).</param>
    public ImageFolderFrameSource(string pattern, FrameSourceOptions options, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _pattern = pattern;
        _options = options;
        _logger = logger;
        _pacer = new FramePacer(options.Fps);
    }

    public string Description => _pattern;

    public bool IsPaced => _pacer.IsPaced || _options.Realtime;

    /// <summary>Images skipped by realtime playback because they fell due while the reader was busy.</summary>
    public long Skipped => _live?.Skipped ?? 0;

    public long Reconnects => 0;

    /// <summary>The files in the order they are read (after <see cref="OpenAsync"/>).</summary>
    public IReadOnlyList<string> Files => _files;

    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _files = ResolveFiles(_pattern);
        _position = 0;
        _logger.LogInformation("Image source {Pattern}: {Count} images", _pattern, _files.Length);
        if (_options.Realtime)
        {
            if (_options.Fps is not { } fps)
            {
                throw new FrameSourceException(_pattern, $"Image source '{_pattern}': realtime playback needs source.fps (images have no frame rate of their own), got none.");
            }

            _live = new LiveRatePacer(fps, _time);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_files.Length == 0)
        {
            throw new InvalidOperationException($"Source '{_pattern}' is not open: call OpenAsync first.");
        }

        if (_live is not null)
        {
            var skip = await _live.NextAsync(cancellationToken).ConfigureAwait(false);
            _nextId += skip;
            _position = _options.Loop ? (int)((_position + skip) % _files.Length) : (int)Math.Min(_files.Length, _position + skip);
        }

        if (_position >= _files.Length)
        {
            if (!_options.Loop)
            {
                return null;
            }

            _position = 0;
        }

        if (_live is null)
        {
            await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var file = _files[_position++];
        var mat = Cv2.ImRead(file, ImreadModes.Color);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new FrameSourceException(_pattern, $"Cannot decode image '{file}' of source '{_pattern}': not a readable image.");
        }

        return new Frame(_nextId++, _time.GetUtcNow(), mat);
    }

    public void Dispose()
    {
    }

    /// <summary>The image files a folder, glob or single file names, sorted ordinally; throws when there are none.</summary>
    public static string[] ResolveFiles(string pattern)
    {
        string[] files;
        if (Directory.Exists(pattern))
        {
            files = [.. Directory.EnumerateFiles(pattern).Where(f => ImageExtensions.Contains(Path.GetExtension(f)))];
        }
        else if (pattern.IndexOfAny(['*', '?']) >= 0)
        {
            var directory = Path.GetDirectoryName(pattern);
            directory = string.IsNullOrEmpty(directory) ? "." : directory;
            if (!Directory.Exists(directory) || Path.GetDirectoryName(pattern) is { } d && d.IndexOfAny(['*', '?']) >= 0)
            {
                throw new FrameSourceException(pattern, $"Image source '{pattern}': folder '{directory}' does not exist (wildcards are allowed in the file name only).");
            }

            files = Directory.GetFiles(directory, Path.GetFileName(pattern));
        }
        else if (File.Exists(pattern))
        {
            files = [pattern];
        }
        else
        {
            throw new FrameSourceException(pattern, $"Image source '{pattern}': no such file or folder.");
        }

        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
        {
            throw new FrameSourceException(pattern, $"Image source '{pattern}': expected at least one image ({string.Join(", ", ImageExtensions.Order())}), found none.");
        }

        return files;
    }
}
