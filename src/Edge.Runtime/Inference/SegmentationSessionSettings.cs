namespace Edge.Runtime.Inference;

/// <summary>How to open a segmentation model. Validated once by <see cref="SegmentationSession.Create"/>.</summary>
public sealed record SegmentationSessionSettings
{
    public const string DefaultInputName = "image";
    public const string DefaultOutputName = "logits";

    public required string ModelPath { get; init; }

    /// <summary>Provider names in order of preference, e.g. <c>["tensorrt", "cuda", "cpu"]</c>; CPU is appended if absent.</summary>
    public IReadOnlyList<string> Providers { get; init; } = [CpuExecutionProvider.ProviderName];

    /// <summary>ONNX Runtime intra-op threads; null = all cores.</summary>
    public int? IntraOpThreads { get; init; }

    public int CudaDeviceId { get; init; }

    public TensorRtSettings TensorRt { get; init; } = new();

    public string InputName { get; init; } = DefaultInputName;

    public string OutputName { get; init; } = DefaultOutputName;

    /// <summary>ONNX Runtime's CPU memory arena (on by default); off frees intermediate tensors instead of pooling them (docs/benchmarks.md, memory).</summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>ONNX Runtime's memory-pattern pre-allocation (on by default).</summary>
    public bool MemoryPattern { get; init; } = true;

    public int EffectiveIntraOpThreads => IntraOpThreads ?? Environment.ProcessorCount;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException($"Model path: expected a .onnx file path, got '{ModelPath}'.");
        }

        if (IntraOpThreads is { } t && t < 1)
        {
            throw new ArgumentException($"Intra-op threads: expected >= 1 or null (all cores), got {t}.");
        }

        if (CudaDeviceId < 0)
        {
            throw new ArgumentException($"CUDA device id: expected >= 0, got {CudaDeviceId}.");
        }

        if (Providers is null || Providers.Count == 0)
        {
            throw new ArgumentException($"Providers: expected at least one of {string.Join(", ", ExecutionProviderChain.KnownNames)}, got none.");
        }

        var unknown = ExecutionProviderChain.ParseNames(Providers).Where(p => !ExecutionProviderChain.KnownNames.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Providers: expected names from {string.Join(", ", ExecutionProviderChain.KnownNames)}, got {string.Join(", ", unknown.Select(u => $"'{u}'"))}.");
        }

        TensorRt.Validate();
    }
}
