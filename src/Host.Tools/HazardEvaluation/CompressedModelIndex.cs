using Host.Tools.Compression;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// The compressed models of <c>build/compression-bench.json</c> (every entry with a baseline) by report folder name,
/// and the order docs/alert-quality.md lists report folders in: float models by name, each followed by its compressed
/// models in plan order; compressed models whose baseline has no report come last.
/// </summary>
public sealed class CompressedModelIndex
{
    /// <summary>The configuration of a compressed model run with its float baseline's shipped operating point.</summary>
    public const string BaselinePointConfig = "baseline-point";

    /// <summary>The baseline's configuration <see cref="BaselinePointConfig"/> is compared with.</summary>
    public const string OperatingPointConfig = "operating-point";

    private readonly Dictionary<string, CompressedModel> _byReportName;

    private CompressedModelIndex(IReadOnlyList<CompressedModel> models)
    {
        Models = models;
        _byReportName = models.ToDictionary(m => m.ReportName, StringComparer.Ordinal);
    }

    public static CompressedModelIndex Empty { get; } = new([]);

    /// <summary>Compressed models in plan order.</summary>
    public IReadOnlyList<CompressedModel> Models { get; }

    public static CompressedModelIndex FromPlan(CompressionBenchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var byName = plan.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var models = new List<CompressedModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in plan.Models.Where(m => m.Baseline is not null))
        {
            var baseline = byName[entry.Baseline!];
            var name = ReportName(entry.Model);
            if (!seen.Add(name))
            {
                throw new InvalidDataException($"compression plan: models['{entry.Name}'].model expected a file name no other compressed model has, got '{entry.Model}'.");
            }

            models.Add(new CompressedModel(name, entry.Name, entry.Kind, ReportName(baseline.Model), baseline.Name));
        }

        return new CompressedModelIndex(models);
    }

    /// <summary>The report folder name of a model path: its file name without <c>.onnx</c>.</summary>
    public static string ReportName(string modelPath) => Path.GetFileNameWithoutExtension(modelPath);

    public CompressedModel? Find(string reportName) => _byReportName.GetValueOrDefault(reportName);

    /// <summary>The baseline's configuration a compressed model's <paramref name="config"/> is compared with.</summary>
    public static string BaselineConfig(string config) => config == BaselinePointConfig ? OperatingPointConfig : config;

    /// <summary>Report folder names in report order (see the class summary).</summary>
    public IReadOnlyList<string> Order(IEnumerable<string> reportNames)
    {
        ArgumentNullException.ThrowIfNull(reportNames);
        var names = reportNames.ToHashSet(StringComparer.Ordinal);
        var ordered = new List<string>();
        foreach (var name in names.Where(n => !_byReportName.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            ordered.Add(name);
            ordered.AddRange(Models.Where(m => m.BaselineReportName == name && names.Contains(m.ReportName)).Select(m => m.ReportName));
        }

        ordered.AddRange(Models.Where(m => names.Contains(m.ReportName) && !ordered.Contains(m.ReportName)).Select(m => m.ReportName));
        return ordered;
    }
}
