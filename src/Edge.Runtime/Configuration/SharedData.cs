namespace Edge.Runtime.Configuration;

/// <summary>
/// Locates the read-only shared data folder: the <c>EDGESEG_SHARED</c> environment variable if set, otherwise
/// <c>../shared</c> next to the repository root (the folder holding <c>EdgeSeg.sln</c>).
/// </summary>
public static class SharedData
{
    public const string EnvironmentVariable = "EDGESEG_SHARED";
    public const string SolutionFileName = "EdgeSeg.sln";

    /// <summary>Resolves the shared folder, searching for the repository root upwards from <paramref name="startDirectory"/> (default: current directory, then the app base directory).</summary>
    public static string Resolve(string? startDirectory = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var root = FindRepositoryRoot(startDirectory ?? Directory.GetCurrentDirectory())
            ?? FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException(
                $"Cannot locate shared data: {EnvironmentVariable} is not set and no folder containing {SolutionFileName} was found above '{startDirectory ?? Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'.");
        return Path.GetFullPath(Path.Combine(root, "..", "shared"));
    }

    /// <summary>The nearest folder at or above <paramref name="startDirectory"/> that contains <c>EdgeSeg.sln</c>, or null.</summary>
    public static string? FindRepositoryRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
