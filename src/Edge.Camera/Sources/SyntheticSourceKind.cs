using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Edge.Camera.Sources;

/// <summary>Generated frames for self-checks: <c>synthetic://640x480</c> (endless unless a frame limit is set by the caller).</summary>
public sealed class SyntheticSourceKind : IFrameSourceKind
{
    public const string Scheme = "synthetic://";

    public string Name => "synthetic";

    public string Syntax => "synthetic://640x480";

    public bool Matches(string uri) => uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var size = uri[Scheme.Length..].Split('x');
        if (size.Length != 2
            || !int.TryParse(size[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(size[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || width < 1 || height < 1)
        {
            throw new FrameSourceException(uri, $"Source '{uri}': expected {Syntax} (WIDTHxHEIGHT, both >= 1).");
        }

        TimeSpan? interval = options.Fps is { } fps ? TimeSpan.FromSeconds(1 / fps) : null;
        return new SyntheticFrameSource(width, height, interval: interval);
    }
}
