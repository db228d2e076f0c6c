namespace Host.Tools.Import;

/// <summary>A file could not be read as a PyTorch checkpoint; the message names the file and what was wrong.</summary>
public sealed class CheckpointFormatException : Exception
{
    public CheckpointFormatException(string path, string problem, Exception? inner = null)
        : base($"Cannot read PyTorch checkpoint '{path}': {problem}", inner)
    {
        SourcePath = path;
        Problem = problem;
    }

    /// <summary>The checkpoint file that failed.</summary>
    public string SourcePath { get; }

    /// <summary>What was wrong or expected, without the file name.</summary>
    public string Problem { get; }
}
