namespace Edge.Camera;

/// <summary>A frame source cannot be opened or read; the message names the source.</summary>
public sealed class FrameSourceException : Exception
{
    public FrameSourceException(string source, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceUri = source;
    }

    /// <summary>The source setting that failed.</summary>
    public string SourceUri { get; }
}
