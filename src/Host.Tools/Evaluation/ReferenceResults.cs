using System.Text.Json;

namespace Host.Tools.Evaluation;

/// <summary><c>reference-results.json</c>: PyTorch reference AuPRC / FPR95 per (model, dataset, method).</summary>
public sealed class ReferenceResults
{
    private ReferenceResults(string protocol, IReadOnlyDictionary<string, IReadOnlyList<ReferenceEntry>> models)
    {
        Protocol = protocol;
        Models = models;
    }

    public string Protocol { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<ReferenceEntry>> Models { get; }

    public static ReferenceResults Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var models = new Dictionary<string, IReadOnlyList<ReferenceEntry>>();
        if (!root.TryGetProperty("models", out var modelsElement) || modelsElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"'{path}': expected an object 'models'.");
        }

        foreach (var model in modelsElement.EnumerateObject())
        {
            models[model.Name] = [.. model.Value.EnumerateArray().Select(e => new ReferenceEntry(
                e.GetProperty("dataset").GetString()!,
                e.GetProperty("method").GetString()!,
                e.GetProperty("temperature").GetDouble(),
                e.GetProperty("auprc").GetDouble(),
                e.GetProperty("fpr95").GetDouble(),
                e.GetProperty("images").GetInt32()))];
        }

        return new ReferenceResults(root.TryGetProperty("protocol", out var p) ? p.GetString() ?? string.Empty : string.Empty, models);
    }
}
