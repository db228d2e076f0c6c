namespace Edge.Runtime.Commands;

/// <summary>Process exit codes shared by all verbs.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Invalid arguments or a model/image that cannot be used.</summary>
    public const int Failure = 1;

    /// <summary>A named input file does not exist.</summary>
    public const int MissingFile = 2;

    /// <summary>The alert queue directory is locked by another running instance (<c>edgeseg run</c>).</summary>
    public const int QueueLocked = 3;

    /// <summary>The alert queue directory (<c>queue.directory</c>) cannot be created or written by this user.</summary>
    public const int QueueNotWritable = 4;
}
