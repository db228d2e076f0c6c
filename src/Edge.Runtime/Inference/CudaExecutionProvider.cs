using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Runtime.Inference;

/// <summary>ONNX Runtime's CUDA provider (needs the Microsoft.ML.OnnxRuntime.Gpu.Linux package: build with -p:EdgeSegGpu=true).</summary>
public sealed class CudaExecutionProvider(int deviceId = 0) : IExecutionProvider
{
    public const string ProviderName = "cuda";
    private const string OrtName = "CUDAExecutionProvider";

    public string Name => ProviderName;

    public int DeviceId { get; } = deviceId;

    public bool TryAppend(SessionOptions options, ExecutionProviderContext context, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OrtProviders.IsAvailable(OrtName))
        {
            logger.LogWarning("Execution provider {Provider} is not in this ONNX Runtime build (available: {Available}); skipping it", Name, OrtProviders.Describe());
            return false;
        }

        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            options.AppendExecutionProvider_CUDA(cuda);
            return true;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogWarning(ex, "Execution provider {Provider} failed to load on device {Device}: {Reason}; skipping it", Name, DeviceId, ex.Message);
            return false;
        }
    }
}
