using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Runtime.Inference;

/// <summary>
/// ONNX Runtime's TensorRT provider: fp16/int8, engine and timing caches, and an optimisation profile fixed to the
/// model's input shape (min = opt = max) when that shape is known.
/// </summary>
public sealed class TensorRtExecutionProvider : IExecutionProvider
{
    public const string ProviderName = "tensorrt";
    private const string OrtName = "TensorrtExecutionProvider";

    public TensorRtExecutionProvider(TensorRtSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
    }

    public string Name => ProviderName;

    public TensorRtSettings Settings { get; }

    /// <summary>The provider options as ONNX Runtime's key/value strings.</summary>
    public IReadOnlyDictionary<string, string> BuildOptions(ExecutionProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new Dictionary<string, string>
        {
            ["device_id"] = Settings.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = Flag(Settings.Fp16),
            ["trt_int8_enable"] = Flag(Settings.Int8),
            ["trt_engine_cache_enable"] = Flag(Settings.EngineCacheDirectory is not null),
            ["trt_timing_cache_enable"] = Flag(Settings.TimingCacheDirectory is not null),
        };
        if (Settings.EngineCacheDirectory is { } engines)
        {
            options["trt_engine_cache_path"] = engines;
        }

        if (Settings.TimingCacheDirectory is { } timing)
        {
            options["trt_timing_cache_path"] = timing;
        }

        if (Settings.MaxWorkspaceBytes is { } workspace)
        {
            options["trt_max_workspace_size"] = workspace.ToString(CultureInfo.InvariantCulture);
        }

        if (context.InputShape is { Count: > 0 } shape)
        {
            var profile = $"{context.InputName}:{string.Join('x', shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}";
            options["trt_profile_min_shapes"] = profile;
            options["trt_profile_opt_shapes"] = profile;
            options["trt_profile_max_shapes"] = profile;
        }

        return options;
    }

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
            foreach (var dir in new[] { Settings.EngineCacheDirectory, Settings.TimingCacheDirectory })
            {
                if (dir is not null)
                {
                    Directory.CreateDirectory(dir);
                }
            }

            using var trt = new OrtTensorRTProviderOptions();
            trt.UpdateOptions(new Dictionary<string, string>(BuildOptions(context)));
            options.AppendExecutionProvider_Tensorrt(trt);
            return true;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Execution provider {Provider} failed to load on device {Device}: {Reason}; skipping it", Name, Settings.DeviceId, ex.Message);
            return false;
        }
    }

    private static string Flag(bool value) => value ? "1" : "0";
}
