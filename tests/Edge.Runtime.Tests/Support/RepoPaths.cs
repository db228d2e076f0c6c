using Edge.Runtime.Configuration;

namespace Edge.Runtime.Tests.Support;

/// <summary>Files of this repository (the folder holding EdgeSeg.sln above the test's base directory).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = SharedData.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No EdgeSeg.sln above '{AppContext.BaseDirectory}'.");

    public static string File(string relative) => Path.Combine(Root, relative);
}
