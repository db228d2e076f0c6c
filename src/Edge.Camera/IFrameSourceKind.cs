using Microsoft.Extensions.Logging;

namespace Edge.Camera;

/// <summary>One kind of source setting (<c>v4l2://</c>, <c>csi://</c>, a video file, ...): recognises its URIs and opens them.</summary>
public interface IFrameSourceKind
{
    /// <summary>Short name for messages, e.g. <c>v4l2</c>.</summary>
    string Name { get; }

    /// <summary>Examples of accepted settings, for help and errors.</summary>
    string Syntax { get; }

    /// <summary>True when <paramref name="uri"/> is a setting of this kind.</summary>
    bool Matches(string uri);

    /// <summary>Creates (does not open) the source; throws <see cref="FrameSourceException"/> for a malformed setting.</summary>
    IFrameSource Create(string uri, FrameSourceOptions options, ILoggerFactory loggerFactory);
}
