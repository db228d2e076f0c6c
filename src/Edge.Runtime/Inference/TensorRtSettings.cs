namespace Edge.Runtime.Inference;

/// <summary>TensorRT provider options. Validate once with <see cref="Validate"/>.</summary>
public sealed record TensorRtSettings
{
    public int DeviceId { get; init; }

    public bool Fp16 { get; init; } = true;

    public bool Int8 { get; init; }

    /// <summary>Folder for serialized engines (null: no engine cache).</summary>
    public string? EngineCacheDirectory { get; init; }

    /// <summary>Folder for the TensorRT timing cache (null: no timing cache).</summary>
    public string? TimingCacheDirectory { get; init; }

    /// <summary>Max workspace in bytes (null: TensorRT default).</summary>
    public long? MaxWorkspaceBytes { get; init; }

    public void Validate()
    {
        if (DeviceId < 0)
        {
            throw new ArgumentException($"TensorRT device_id: expected >= 0, got {DeviceId}.");
        }

        if (MaxWorkspaceBytes is { } w && w < 1)
        {
            throw new ArgumentException($"TensorRT max workspace: expected >= 1 byte or null, got {w}.");
        }

        if (EngineCacheDirectory is { } e && string.IsNullOrWhiteSpace(e))
        {
            throw new ArgumentException("TensorRT engine cache directory: expected a path or null, got an empty string.");
        }

        if (TimingCacheDirectory is { } t && string.IsNullOrWhiteSpace(t))
        {
            throw new ArgumentException("TensorRT timing cache directory: expected a path or null, got an empty string.");
        }
    }
}
