using Edge.Runtime.Inference;
using Edge.Runtime.Scoring;
using Host.Tools.Metrics;

namespace Host.Tools.Evaluation;

/// <summary>Settings of <c>edgeseg-tools evaluate</c>; <see cref="Validate"/> once before running.</summary>
public sealed record AnomalyEvaluationSettings
{
    /// <summary>Key of <see cref="ComponentThresholds"/> that applies to every method.</summary>
    public const string AnyMethod = "*";

    public required string ModelPath { get; init; }

    public required string DataPath { get; init; }

    /// <summary>Dataset folder names to evaluate (empty: all found).</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];

    public IReadOnlyList<string> Methods { get; init; } = ["MSP", "MaxLogit", "MaxEntropy", "VoidClass"];

    /// <summary>Extra temperatures for the temperature-dependent methods (T = 1 always runs).</summary>
    public IReadOnlyList<double> Temperatures { get; init; } = [];

    public Fpr95Convention Fpr95 { get; init; } = Fpr95Convention.Interpolated;

    /// <summary>Heat-map overlays written per dataset (first images evaluated).</summary>
    public int Overlays { get; init; }

    /// <summary>Where overlays go (null: none).</summary>
    public string? OverlayDirectory { get; init; }

    /// <summary>Void channel for VoidClass; null: the model card's, else 19.</summary>
    public int? VoidIndex { get; init; }

    public IReadOnlyList<string> Providers { get; init; } = [CpuExecutionProvider.ProviderName];

    /// <summary>SegmentMeIfYouCan component metrics per row (<see cref="Components.ComponentMetrics"/>).</summary>
    public bool Components { get; init; } = true;

    /// <summary>
    /// Component score thresholds: method name (case-insensitive) → threshold, <see cref="AnyMethod"/> for every
    /// method; a method without one uses the set's pixel-level best-F1 threshold.
    /// </summary>
    public IReadOnlyDictionary<string, float> ComponentThresholds { get; init; } = new Dictionary<string, float>();

    /// <summary>Predicted components below this size are removed (null: the set's default, 50 obstacle sets / 500 others).</summary>
    public int? MinSegmentPixels { get; init; }

    /// <summary>Label components below this size are ignored (null: the set's default, 10 obstacle sets / 100 others).</summary>
    public int? MinObjectPixels { get; init; }

    /// <summary>The given component threshold of <paramref name="method"/>, or null (best-F1).</summary>
    public float? ComponentThresholdFor(string method)
    {
        foreach (var (key, value) in ComponentThresholds)
        {
            if (key != AnyMethod && string.Equals(AnomalyScorerFactory.CanonicalName(key), AnomalyScorerFactory.CanonicalName(method), StringComparison.Ordinal))
            {
                return value;
            }
        }

        return ComponentThresholds.TryGetValue(AnyMethod, out var any) ? any : null;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException("--model: expected an .onnx file path, got nothing.");
        }

        if (string.IsNullOrWhiteSpace(DataPath))
        {
            throw new ArgumentException("--data: expected a dataset folder, got nothing.");
        }

        if (Methods.Count == 0)
        {
            throw new ArgumentException($"--methods: expected at least one of {string.Join(", ", AnomalyScorerFactory.Names)}.");
        }

        foreach (var m in Methods)
        {
            if (!AnomalyScorerFactory.IsKnown(m))
            {
                throw new ArgumentException($"--methods: unknown method '{m}'; expected one of {string.Join(", ", AnomalyScorerFactory.Names)}.");
            }
        }

        foreach (var t in Temperatures)
        {
            if (!double.IsFinite(t) || t <= 0)
            {
                throw new ArgumentException($"--temperature: expected finite values > 0, got {t}.");
            }
        }

        if (Overlays < 0)
        {
            throw new ArgumentException($"--overlays: expected >= 0, got {Overlays}.");
        }

        if (VoidIndex is < 0)
        {
            throw new ArgumentException($"void index: expected >= 0, got {VoidIndex}.");
        }

        foreach (var (key, value) in ComponentThresholds)
        {
            if (key != AnyMethod && !AnomalyScorerFactory.IsKnown(key))
            {
                throw new ArgumentException($"--component-threshold: unknown method '{key}'; expected one of {string.Join(", ", AnomalyScorerFactory.Names)}.");
            }

            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"--component-threshold {key}: expected a finite number, got {value}.");
            }
        }

        if (MinSegmentPixels is < 0)
        {
            throw new ArgumentException($"--min-segment-px: expected >= 0, got {MinSegmentPixels}.");
        }

        if (MinObjectPixels is < 0)
        {
            throw new ArgumentException($"--min-object-px: expected >= 0, got {MinObjectPixels}.");
        }
    }
}
