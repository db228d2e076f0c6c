using Edge.Runtime.Configuration;

namespace Host.Tools.Tests.Support;

/// <summary>Paths to the shared data and the repository's generated models.</summary>
internal static class TestPaths
{
    public static string SharedRoot => SharedData.Resolve(AppContext.BaseDirectory);

    public static string Shared(string relative) => Path.Combine(SharedRoot, relative);

    public static string RepoRoot => SharedData.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException($"No EdgeSeg.sln above {AppContext.BaseDirectory}.");

    /// <summary>A fresh folder under the system temp folder (left for the OS to clean, like the runtime tests').</summary>
    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "edgeseg-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
