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
}
