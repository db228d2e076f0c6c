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
    private long _decoded;
    private long _skipped;

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

    /// <summary>Images skipped so far because they could not be decoded or exceed <see cref="FrameSourceOptions.MaxPixels"/>.</summary>
    public long SkippedImages => _skipped;

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

        while (true)
        {
            if (_live is null)
            {
                await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var file = _files[_position++];
            if (TryDecode(file, out var mat, out var problem))
            {
                _decoded++;
                return new Frame(_nextId++, _time.GetUtcNow(), mat);
            }

            // One unreadable image does not end the run: it is skipped, counted and named.
            _skipped++;
            _logger.LogWarning("Image source {Pattern}: skipped {Problem} ({Skipped} skipped so far)", _pattern, problem, _skipped);
            if (_position >= _files.Length)
            {
                if (_decoded == 0)
                {
                    throw new FrameSourceException(_pattern, $"Image source '{_pattern}': none of its {_files.Length} image(s) could be used; last: {problem}");
                }

                if (!_options.Loop)
                {
                    return null;
                }

                _position = 0;
            }
        }
    }

    /// <summary>Decodes <paramref name="file"/>, refusing it beyond <see cref="FrameSourceOptions.MaxPixels"/> (from the header when the format allows).</summary>
    private bool TryDecode(string file, out Mat mat, out string problem)
    {
        mat = null!;
        if (ImageHeader.TryReadSize(file, out var w, out var h) && _options.ExceedsMaxPixels(w, h))
        {
            problem = TooLarge(file, w, h);
            return false;
        }

        Mat decoded;
        try
        {
            decoded = Cv2.ImRead(file, ImreadModes.Color);
        }
        catch (OpenCVException ex)
        {
            problem = $"'{file}': cannot decode image: {ex.Message}";
            return false;
        }

        if (decoded.Empty())
        {
            decoded.Dispose();
            problem = $"'{file}': cannot decode image: not a readable image";
            return false;
        }

        if (_options.ExceedsMaxPixels(decoded.Width, decoded.Height))
        {
            problem = TooLarge(file, decoded.Width, decoded.Height);
            decoded.Dispose();
            return false;
        }

        mat = decoded;
        problem = string.Empty;
        return true;
    }

    private string TooLarge(string file, int width, int height) =>
        $"'{file}': image {_options.MaxPixelsExceeded(width, height)}";

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
