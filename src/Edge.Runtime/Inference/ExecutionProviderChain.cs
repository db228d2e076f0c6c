namespace Edge.Runtime.Inference;

/// <summary>Builds the ordered provider list from names such as <c>tensorrt,cuda,cpu</c>; CPU is always last.</summary>
public static class ExecutionProviderChain
{
    public static IReadOnlyList<string> KnownNames { get; } = [TensorRtExecutionProvider.ProviderName, CudaExecutionProvider.ProviderName, CpuExecutionProvider.ProviderName];

    /// <summary>Splits comma-separated entries, trims, lower-cases and removes duplicates.</summary>
    public static IReadOnlyList<string> ParseNames(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return [.. entries
            .SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(e => e.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)];
    }

    public static IReadOnlyList<IExecutionProvider> Create(IEnumerable<string> names, TensorRtSettings? tensorRt = null, int cudaDeviceId = 0)
    {
        var factories = new Dictionary<string, Func<IExecutionProvider>>(StringComparer.Ordinal)
        {
            [TensorRtExecutionProvider.ProviderName] = () => new TensorRtExecutionProvider(tensorRt ?? new TensorRtSettings()),
            [CudaExecutionProvider.ProviderName] = () => new CudaExecutionProvider(cudaDeviceId),
            [CpuExecutionProvider.ProviderName] = () => new CpuExecutionProvider(),
        };

        var chain = new List<IExecutionProvider>();
        foreach (var name in ParseNames(names))
        {
            if (!factories.TryGetValue(name, out var factory))
            {
                throw new ArgumentException($"Unknown execution provider: expected one of {string.Join(", ", KnownNames)}, got '{name}'.", nameof(names));
            }

            if (name != CpuExecutionProvider.ProviderName)
            {
                chain.Add(factory());
            }
        }

        chain.Add(new CpuExecutionProvider());
        return chain;
    }
}
