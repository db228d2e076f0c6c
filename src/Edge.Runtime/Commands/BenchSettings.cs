using Edge.Runtime.Inference;

namespace Edge.Runtime.Commands;

/// <summary>Arguments of <c>edgeseg bench</c>.</summary>
public sealed record BenchSettings
{
    public required string ModelPath { get; init; }

    public int Iterations { get; init; } = 20;

    public int Warmup { get; init; } = 3;

    public IReadOnlyList<string> Providers { get; init; } = [CpuExecutionProvider.ProviderName];

    public int? Threads { get; init; }

    public string? ImagePath { get; init; }

    public string? JsonPath { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException($"--model: expected a .onnx path, got '{ModelPath}'.");
        }

        if (Iterations < 1)
        {
            throw new ArgumentException($"--iterations: expected >= 1, got {Iterations}.");
        }

        if (Warmup < 0)
        {
            throw new ArgumentException($"--warmup: expected >= 0, got {Warmup}.");
        }

        if (Threads is { } t && t < 1)
        {
            throw new ArgumentException($"--threads: expected >= 1, got {t}.");
        }
    }
}
