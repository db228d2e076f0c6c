using Microsoft.ML.OnnxRuntime;

namespace Edge.Runtime.Inference;

/// <summary>Which providers the loaded ONNX Runtime native library was built with.</summary>
internal static class OrtProviders
{
    private static readonly Lazy<HashSet<string>> Available = new(() => [.. OrtEnv.Instance().GetAvailableProviders()]);

    public static bool IsAvailable(string ortName) => Available.Value.Contains(ortName);

    public static string Describe() => string.Join(", ", Available.Value.Order(StringComparer.Ordinal));
}
