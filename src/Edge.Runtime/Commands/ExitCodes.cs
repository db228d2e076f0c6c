namespace Edge.Runtime.Commands;

/// <summary>Process exit codes shared by all verbs.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Invalid arguments or a model/image that cannot be used.</summary>
    public const int Failure = 1;

    /// <summary>A named input file does not exist.</summary>
    public const int MissingFile = 2;
}
