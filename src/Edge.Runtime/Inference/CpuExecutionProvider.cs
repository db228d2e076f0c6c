using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Runtime.Inference;

/// <summary>ONNX Runtime's default CPU provider: always available, always the last in a chain.</summary>
public sealed class CpuExecutionProvider : IExecutionProvider
{
    public const string ProviderName = "cpu";

    public string Name => ProviderName;

    public bool TryAppend(SessionOptions options, ExecutionProviderContext context, ILogger logger) => true;
}
