using System.Text.Json.Serialization;
using Edge.Runtime.Configuration;

namespace Edge.Runtime.Inference;

/// <summary>
/// How to open a segmentation model, and the <c>model</c> settings section itself (snake_case names, <c>EDGESEG__MODEL__*</c>
/// variables; docs/runtime.md): the network and how ONNX Runtime runs it. Rules: <see cref="Validate(string)"/> (each
/// "model.field: expected ..., got ..."); <see cref="SegmentationSession.Create"/> checks them once with
/// <see cref="Validate()"/>. The runtime's defaults for the section (the paper's ENet, TensorRT → CUDA → CPU) are
/// <see cref="RuntimeSettings.Model"/>'s; a record built in code starts from the CPU provider and no path.
/// </summary>
public sealed record SegmentationSessionSettings
{
    public const string DefaultInputName = "image";
    public const string DefaultOutputName = "logits";

    /// <summary>The .onnx file (<c>model.path</c>); the runtime also needs its model card (.json beside it).</summary>
    [JsonPropertyName("path")]
    public string ModelPath { get; init; } = string.Empty;

    /// <summary>Provider names in order of preference, e.g. <c>["tensorrt", "cuda", "cpu"]</c>; CPU is appended if absent.</summary>
    public IReadOnlyList<string> Providers { get; init; } = [CpuExecutionProvider.ProviderName];

    /// <summary>ONNX Runtime intra-op threads (<c>model.threads</c>); null = all cores.</summary>
    [JsonPropertyName("threads")]
    public int? IntraOpThreads { get; init; }

    /// <summary>CUDA provider GPU index (<c>model.cuda_device_id</c>).</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>TensorRT engine options (<c>model.tensorrt</c>): precision, engine and timing caches.</summary>
    [JsonPropertyName("tensorrt")]
    public TensorRtSettings TensorRt { get; init; } = new();

    /// <summary>The graph's one input (<c>model.input_name</c>, default <c>image</c> as the exporter writes it).</summary>
    public string InputName { get; init; } = DefaultInputName;

    /// <summary>The graph's logits output (<c>model.output_name</c>, default <c>logits</c>).</summary>
    public string OutputName { get; init; } = DefaultOutputName;

    /// <summary>ONNX Runtime's CPU memory arena (on by default); off frees intermediate tensors instead of pooling them (docs/benchmarks.md, memory).</summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>ONNX Runtime's memory-pattern pre-allocation (on by default).</summary>
    public bool MemoryPattern { get; init; } = true;

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin between parallel sections (<c>model.allow_spinning</c>;
    /// <c>session.intra_op.allow_spinning</c>). Spinning lowers one run's latency on an idle machine but burns the cores
    /// the runtime's other stages (capture, hazards, journal, MQTT) need; docs/benchmarks.md measures both.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    [JsonIgnore]
    public int EffectiveIntraOpThreads => IntraOpThreads ?? Environment.ProcessorCount;

    /// <summary>Rule violations under <paramref name="prefix"/> (field, expected, actual); empty when valid.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(ModelPath) || !ModelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{prefix}.path: expected a .onnx file, got '{ModelPath}'";
        }

        if (Providers is null || Providers.Count == 0
            || ExecutionProviderChain.ParseNames(Providers).Any(p => !ExecutionProviderChain.KnownNames.Contains(p)))
        {
            yield return $"{prefix}.providers: expected names from {string.Join(", ", ExecutionProviderChain.KnownNames)}, got [{string.Join(", ", Providers ?? [])}]";
        }

        if (IntraOpThreads is < 1)
        {
            yield return $"{prefix}.threads: expected >= 1 or null (all cores), got {IntraOpThreads}";
        }

        if (CudaDeviceId < 0)
        {
            yield return $"{prefix}.cuda_device_id: expected >= 0, got {CudaDeviceId}";
        }

        if (string.IsNullOrWhiteSpace(InputName))
        {
            yield return $"{prefix}.input_name: expected the graph's input name, got '{InputName}'";
        }

        if (string.IsNullOrWhiteSpace(OutputName))
        {
            yield return $"{prefix}.output_name: expected the graph's output name, got '{OutputName}'";
        }

        foreach (var error in TensorRt?.Validate($"{prefix}.tensorrt") ?? [$"{prefix}.tensorrt: expected an object, got null"])
        {
            yield return error;
        }
    }

    /// <summary>Throws when <see cref="Validate(string)"/> finds violations (under <c>model</c>).</summary>
    /// <exception cref="ArgumentException">Any violation; the message lists them all.</exception>
    public void Validate() => SettingsErrors.ThrowIfAny(Validate("model"));
}
