using System.Collections.Frozen;
using Edge.Runtime.Models;

namespace Edge.Runtime.Scoring;

/// <summary>
/// Maps a score name (<c>MSP</c>, <c>MaxLogit</c>, <c>MaxEntropy</c>, <c>VoidClass</c>, <c>Energy</c>, <c>SML</c>; case-insensitive) and
/// <see cref="ScorerOptions"/> to a scorer. A table of constructors: adding a scorer adds one entry.
/// </summary>
public static class AnomalyScorerFactory
{
    private sealed record Entry(string Name, ScoreKind Kind, bool UsesTemperature, Func<ScorerOptions, IAnomalyScorer> Create);

    private static readonly Entry[] Entries =
    [
        new("MSP", ScoreKind.Msp, true, o => new MspScorer(o.Temperature)),
        new("MaxLogit", ScoreKind.MaxLogit, false, _ => new MaxLogitScorer()),
        new("MaxEntropy", ScoreKind.MaxEntropy, true, o => new MaxEntropyScorer(o.Temperature)),
        new("VoidClass", ScoreKind.VoidClass, false, o => new VoidClassScorer(o.VoidIndex, o.Temperature)),
        new("Energy", ScoreKind.Energy, true, o => new EnergyScorer(o.Temperature)),
        new("SML", ScoreKind.Sml, false, o => new StandardizedMaxLogitScorer(
            o.Sml ?? throw new ArgumentException("SML needs per-class max-logit statistics: run 'edgeseg-tools calibrate-sml' to write the model card's sml, got sml null.", nameof(o)),
            o.SmlPostProcessing, o.MapHeight, o.MapWidth)),
    ];

    private static readonly FrozenDictionary<string, Entry> ByName =
        Entries.ToFrozenDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<ScoreKind, Entry> ByKind = Entries.ToFrozenDictionary(e => e.Kind);

    /// <summary>Canonical names, in the order of the paper's tables.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Select(e => e.Name)];

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>The canonical spelling of <paramref name="name"/> (e.g. <c>msp</c> → <c>MSP</c>).</summary>
    public static string CanonicalName(string name) => Find(name).Name;

    /// <summary>Whether the score changes with the temperature (the evaluation runs extra temperatures only for those).</summary>
    public static bool UsesTemperature(string name) => Find(name).UsesTemperature;

    public static IAnomalyScorer Create(string name, ScorerOptions? options = null) => Find(name).Create(options ?? new ScorerOptions());

    public static IAnomalyScorer Create(ScoreKind kind, ScorerOptions? options = null)
    {
        if (!ByKind.TryGetValue(kind, out var entry))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"No scorer for score kind {kind}; expected one of {string.Join(", ", Names)}.");
        }

        return entry.Create(options ?? new ScorerOptions());
    }

    private static Entry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ByName.TryGetValue(name.Trim(), out var entry)
            ? entry
            : throw new ArgumentException($"Unknown anomaly score '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));
    }
}
