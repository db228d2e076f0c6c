using System.Text.Json.Serialization;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Configuration;

namespace Edge.Runtime.Inference;

/// <summary>
/// TensorRT provider options, and the <c>model.tensorrt</c> settings section itself: how the provider builds its engine
/// when it is in the provider list and loads (ignored on machines without TensorRT, where the chain falls through to
/// CUDA or CPU). Rules: <see cref="Validate(string)"/>; <see cref="Validate()"/> throws on them.
/// </summary>
public sealed record TensorRtSettings
{
    /// <summary><c>fp32</c>, <c>fp16</c> (default) or <c>int8</c> (fp16 kernels as the fallback; a QDQ model brings its own scales).</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Fp16;

    /// <summary><c>trt_fp16_enable</c>: fp16 and int8 (int8's fallback).</summary>
    [JsonIgnore]
    public bool Fp16 => Precision is InferencePrecision.Fp16 or InferencePrecision.Int8;

    /// <summary><c>trt_int8_enable</c>: int8 only.</summary>
    [JsonIgnore]
    public bool Int8 => Precision == InferencePrecision.Int8;

    /// <summary>GPU index (<c>model.tensorrt.device_id</c>).</summary>
    public int DeviceId { get; init; }

    /// <summary>Folder for serialized engines (<c>model.tensorrt.engine_cache_dir</c>); null = rebuild the engine at every start (minutes on a Jetson).</summary>
    [JsonPropertyName("engine_cache_dir")]
    public string? EngineCacheDirectory { get; init; }

    /// <summary>Folder for the TensorRT timing cache (<c>model.tensorrt.timing_cache_dir</c>); null = none.</summary>
    [JsonPropertyName("timing_cache_dir")]
    public string? TimingCacheDirectory { get; init; }

    /// <summary>Max workspace in bytes (<c>model.tensorrt.max_workspace_bytes</c>); null = the TensorRT default.</summary>
    public long? MaxWorkspaceBytes { get; init; }

    /// <summary>Rule violations under <paramref name="prefix"/> (field, expected, actual); empty when valid.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!Enum.IsDefined(Precision))
        {
            yield return $"{prefix}.precision: expected fp32, fp16 or int8, got {Precision}";
        }

        if (EngineCacheDirectory is { } e && string.IsNullOrWhiteSpace(e))
        {
            yield return $"{prefix}.engine_cache_dir: expected a folder path or null, got an empty string";
        }

        if (TimingCacheDirectory is { } t && string.IsNullOrWhiteSpace(t))
        {
            yield return $"{prefix}.timing_cache_dir: expected a folder path or null, got an empty string";
        }

        if (DeviceId < 0)
        {
            yield return $"{prefix}.device_id: expected >= 0, got {DeviceId}";
        }

        if (MaxWorkspaceBytes is { } w && w < 1)
        {
            yield return $"{prefix}.max_workspace_bytes: expected >= 1 or null (TensorRT default), got {w}";
        }
    }

    /// <summary>Throws when <see cref="Validate(string)"/> finds violations (under <c>model.tensorrt</c>).</summary>
    /// <exception cref="ArgumentException">Any violation; the message lists them all.</exception>
    public void Validate() => SettingsErrors.ThrowIfAny(Validate("model.tensorrt"));
}
