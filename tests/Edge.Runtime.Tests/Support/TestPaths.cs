using Edge.Runtime.Configuration;

namespace Edge.Runtime.Tests.Support;

internal static class TestPaths
{
    /// <summary>EDGESEG_SHARED, else ../shared beside the folder containing EdgeSeg.sln found above the test's base directory.</summary>
    public static string Shared { get; } = SharedData.Resolve(AppContext.BaseDirectory);

    public static string SharedFile(string relative) => Path.Combine(Shared, relative);

    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "edgeseg-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
