using System.Text.Json.Serialization;
using Edge.Runtime.Inference;

namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>model</c>: the network and how ONNX Runtime runs it.</summary>
public sealed record ModelSettings
{
    /// <summary>The .onnx file; its model card (.json beside it) is required.</summary>
    public string Path { get; init; } = "models/enet-seed-560-void.onnx";

    /// <summary>Execution providers in order of preference; CPU is always the last resort.</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["tensorrt", "cuda", "cpu"];

    /// <summary>Intra-op threads; null = all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>TensorRT engine options (<c>model.tensorrt</c>): precision, engine and timing caches.</summary>
    [JsonPropertyName("tensorrt")]
    public TensorRtModelSettings TensorRt { get; init; } = new();

    /// <summary>CUDA provider GPU index (<c>model.cuda_device_id</c>).</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>ONNX Runtime CPU memory arena (<c>model.cpu_memory_arena</c>, default true).</summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>ONNX Runtime memory pattern (<c>model.memory_pattern</c>, default true).</summary>
    public bool MemoryPattern { get; init; } = true;

    /// <summary>The session settings for <paramref name="modelPath"/> (this section's providers, threads and TensorRT options).</summary>
    public SegmentationSessionSettings ToSessionSettings(string modelPath) => new()
    {
        ModelPath = modelPath,
        Providers = Providers,
        IntraOpThreads = Threads,
        CudaDeviceId = CudaDeviceId,
        TensorRt = TensorRt.ToProviderSettings(),
        CpuMemoryArena = CpuMemoryArena,
        MemoryPattern = MemoryPattern,
    };
}
