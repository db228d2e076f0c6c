namespace Host.Tools.Tests.Import;

/// <summary>Locates the shared read-only data: the folder containing EdgeSeg.sln, then ../shared.</summary>
internal static class ImportTestData
{
    private static readonly Lazy<string> SharedRoot = new(FindShared);

    public static string Shared => SharedRoot.Value;

    public static string Weights => Path.Combine(Shared, "weights");

    public static string Weight(string relative) => Path.Combine(Weights, relative);

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeSeg.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException($"No EdgeSeg.sln above {AppContext.BaseDirectory}.");
        }
    }

    private static string FindShared()
    {
        var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        return Directory.Exists(Path.Combine(shared, "weights"))
            ? shared
            : throw new DirectoryNotFoundException($"Shared data not found at {shared} (expected ../shared beside the repository).");
    }
}
