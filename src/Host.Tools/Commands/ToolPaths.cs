using Edge.Runtime.Configuration;

namespace Host.Tools.Commands;

/// <summary>Default data locations: <c>EDGESEG_WEIGHTS</c>, else the shared folder's <c>weights/</c>.</summary>
public static class ToolPaths
{
    public const string WeightsVariable = "EDGESEG_WEIGHTS";

    public static string DefaultWeights()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(WeightsVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? Path.Combine(SharedData.Resolve(), "weights")
            : Path.GetFullPath(fromEnvironment);
    }
}
