using Edge.Runtime.Benchmarking;
using Edge.Runtime.Inference;

namespace Edge.Runtime.Configuration;

/// <summary>
/// Settings <c>model.tensorrt</c>: how the TensorRT provider builds its engine when it is in <c>model.providers</c>
/// and loads (ignored on machines without TensorRT, where the chain falls through to CUDA or CPU).
/// </summary>
public sealed record TensorRtModelSettings
{
    /// <summary><c>fp32</c>, <c>fp16</c> (default) or <c>int8</c> (fp16 kernels as the fallback; a QDQ model brings its own scales).</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Fp16;

    /// <summary>Folder for serialized engines; null = rebuild the engine at every start (minutes on a Jetson).</summary>
    public string? EngineCacheDir { get; init; }

    /// <summary>Folder for the TensorRT timing cache; null = none.</summary>
    public string? TimingCacheDir { get; init; }

    /// <summary>GPU index.</summary>
    public int DeviceId { get; init; }

    /// <summary>The provider options these settings stand for.</summary>
    public TensorRtSettings ToProviderSettings() => new()
    {
        DeviceId = DeviceId,
        Fp16 = Precision is InferencePrecision.Fp16 or InferencePrecision.Int8,
        Int8 = Precision == InferencePrecision.Int8,
        EngineCacheDirectory = EngineCacheDir,
        TimingCacheDirectory = TimingCacheDir,
    };

    /// <summary>Rule violations under <paramref name="prefix"/> (field, expected, actual).</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!Enum.IsDefined(Precision))
        {
            yield return $"{prefix}.precision: expected fp32, fp16 or int8, got {Precision}";
        }

        if (EngineCacheDir is { } e && string.IsNullOrWhiteSpace(e))
        {
            yield return $"{prefix}.engine_cache_dir: expected a folder path or null, got an empty string";
        }

        if (TimingCacheDir is { } t && string.IsNullOrWhiteSpace(t))
        {
            yield return $"{prefix}.timing_cache_dir: expected a folder path or null, got an empty string";
        }

        if (DeviceId < 0)
        {
            yield return $"{prefix}.device_id: expected >= 0, got {DeviceId}";
        }
    }
}
