using System.Text.Json;

namespace Host.Tools.Compression;

/// <summary>
/// The models <c>edgeseg-tools compression-report</c> measures (<c>build/compression-bench.json</c>), validated once.
/// </summary>
public sealed record CompressionBenchPlan
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip };

    public required IReadOnlyList<CompressionBenchEntry> Models { get; init; }

    public static CompressionBenchPlan Load(string path)
    {
        CompressionBenchPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<CompressionBenchPlan>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a compression bench plan ({ex.Message}).", ex);
        }

        if (plan is null)
        {
            throw new InvalidDataException($"{path}: expected an object with 'models', got null.");
        }

        plan.Validate(path);
        return plan;
    }

    public void Validate(string source)
    {
        if (Models is not { Count: > 0 })
        {
            throw new InvalidDataException($"{source}: 'models' expected at least one entry, got none.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in Models)
        {
            if (string.IsNullOrWhiteSpace(m.Name) || !names.Add(m.Name))
            {
                throw new InvalidDataException($"{source}: models[].name expected a unique non-empty name, got '{m.Name}'.");
            }
        }

        foreach (var m in Models)
        {
            if (m.Baseline is { } b && (!names.Contains(b) || b == m.Name))
            {
                throw new InvalidDataException($"{source}: models['{m.Name}'].baseline expected the name of another entry, got '{b}'.");
            }

            if (m.Kind != CompressionKind.Float && m.Baseline is null)
            {
                throw new InvalidDataException($"{source}: models['{m.Name}'] is {m.Kind} and needs a 'baseline', got none.");
            }
        }
    }
}
