namespace Edge.Runtime.Commands;

/// <summary>
/// The one process exit-code table of both binaries, <c>edgeseg</c> (every verb) and <c>edgeseg-tools</c>: a code means
/// the same thing in both (docs/deployment.md, "Exit codes").
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// Invalid arguments or settings, a model/image/checkpoint/data set that cannot be used, or a check that failed
    /// (<c>edgeseg check</c>, <c>edgeseg-tools reproduction --check</c>, <c>chaos-report</c>).
    /// </summary>
    public const int Failure = 1;

    /// <summary>A named input file or folder does not exist.</summary>
    public const int MissingFile = 2;

    /// <summary>The alert queue directory is locked by another running instance (<c>edgeseg run</c>).</summary>
    public const int QueueLocked = 3;

    /// <summary>The alert queue directory (<c>queue.directory</c>) cannot be created or written by this user.</summary>
    public const int QueueNotWritable = 4;
}
