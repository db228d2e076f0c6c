using System.Text.Json;
using System.Text.Json.Serialization;

namespace Host.Tools.Building;

/// <summary>The committed list of models that <c>make models</c> builds (<c>models/manifest.json</c>).</summary>
public sealed record ModelManifest
{
    public int Schema { get; init; } = 1;

    public string? Description { get; init; }

    public required ManifestInput Input { get; init; }

    public required IReadOnlyList<ManifestEntry> Models { get; init; }

    public static ModelManifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model manifest '{path}' does not exist.", path);
        }

        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model manifest '{path}' is not valid JSON for a manifest: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"Model manifest '{path}' is empty.");
        }

        var problems = new List<string>();
        if (manifest.Schema != 1)
        {
            problems.Add($"schema: expected 1, got {manifest.Schema}");
        }

        if (manifest.Input.Height <= 0 || manifest.Input.Width <= 0)
        {
            problems.Add($"input: expected positive height and width, got {manifest.Input.Height}x{manifest.Input.Width}");
        }

        for (var i = 0; i < manifest.Models.Count; i++)
        {
            var m = manifest.Models[i];
            if (string.IsNullOrWhiteSpace(m.Name) || m.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                problems.Add($"models[{i}].name: expected a file-name-safe name, got '{m.Name}'");
            }

            if (string.IsNullOrWhiteSpace(m.Checkpoint))
            {
                problems.Add($"models[{i}].checkpoint: expected a path relative to the weights folder, got nothing");
            }

            if (m.InputNormalization is { } n)
            {
                try
                {
                    n.Validate($"models[{i}].input_normalization.mean", $"models[{i}].input_normalization.std");
                }
                catch (ArgumentException ex)
                {
                    problems.Add(ex.Message.TrimEnd('.'));
                }
            }
        }

        var duplicate = manifest.Models.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            problems.Add($"models: name '{duplicate.Key}' appears {duplicate.Count()} times, expected once");
        }

        return problems.Count == 0
            ? manifest
            : throw new InvalidDataException($"Model manifest '{path}' is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
    }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
