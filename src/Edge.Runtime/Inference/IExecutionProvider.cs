using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Runtime.Inference;

/// <summary>One ONNX Runtime execution provider (backend).</summary>
public interface IExecutionProvider
{
    /// <summary>Short name used in settings and reports: <c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>.</summary>
    string Name { get; }

    /// <summary>Appends the provider to <paramref name="options"/>; returns false (and logs why) when it cannot load here.</summary>
    bool TryAppend(SessionOptions options, ExecutionProviderContext context, ILogger logger);
}
