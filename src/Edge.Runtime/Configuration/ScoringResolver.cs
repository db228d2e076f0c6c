using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Hazards;
using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Configuration;

/// <summary>
/// How <c>edgeseg run</c> (and <c>edgeseg-tools evaluate-hazards</c>) pick the scorer, temperature, threshold and hazard
/// post-processing: explicit settings first; then the model card's <c>operating_point</c> (when
/// <c>scoring.use_operating_point</c> is true and the scorer is the operating point's); then the card's
/// <c>default_score</c> / <c>temperature</c> / <c>threshold</c>; then the documented defaults (<see cref="ThresholdResolver"/>).
/// </summary>
public static class ScoringResolver
{
    public const string OperatingPointOrigin = "model card operating point";

    public static ResolvedScoring Resolve(RuntimeSettings settings, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(card);
        var scoring = settings.Scoring ?? new ScoringSettings();
        var point = scoring.UseOperatingPoint ? card.OperatingPoint : null;
        var method = scoring.Method ?? point?.Scorer ?? card.DefaultScore.ToString();
        if (point is not null && !SameScorer(method, point.Scorer))
        {
            point = null; // another scorer was asked for: the operating point's threshold and options do not apply
        }

        var temperature = scoring.Temperature ?? (point is null ? card.Temperature : point.Temperature ?? 1.0) ?? 1.0;
        float threshold;
        string origin;
        if (scoring.Threshold is null && point is not null)
        {
            (threshold, origin) = ((float)point.Threshold, OperatingPointOrigin);
        }
        else
        {
            var canonical = AnomalyScorerFactory.IsKnown(method) ? AnomalyScorerFactory.CanonicalName(method) : method;
            (threshold, origin) = ThresholdResolver.Resolve(scoring.Threshold, card, canonical);
        }

        var hazards = settings.Hazards;
        IReadOnlyList<string> taken = [];
        if (point?.Hazards is { } overrides)
        {
            (hazards, taken) = Merge(settings.Hazards, overrides, settings.ExplicitHazardKeys);
            var errors = hazards.Validate("hazards (with model card operating_point.hazards)", card.Classes.Count).ToList();
            if (errors.Count > 0)
            {
                throw new ArgumentException($"Model card '{card.Name}' operating_point.hazards over the settings: {string.Join("; ", errors)}.");
            }
        }

        return new ResolvedScoring
        {
            Method = method,
            Temperature = temperature,
            Threshold = threshold,
            ThresholdOrigin = origin,
            Hazards = hazards,
            UsesOperatingPoint = point is not null && (scoring.Method is null || scoring.Threshold is null || scoring.Temperature is null || taken.Count > 0),
            OperatingPointHazardKeys = taken,
        };
    }

    /// <summary>
    /// <paramref name="overrides"/> (settings <c>hazards</c> schema) laid over <paramref name="hazards"/>, leaf by leaf,
    /// except the leaves named in <paramref name="explicitKeys"/>.
    /// </summary>
    public static (HazardSettings Hazards, IReadOnlyList<string> Taken) Merge(HazardSettings hazards, JsonObject overrides, IReadOnlySet<string> explicitKeys)
    {
        ArgumentNullException.ThrowIfNull(hazards);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(explicitKeys);
        var merged = JsonSerializer.SerializeToNode(hazards, RuntimeSettings.JsonOptions) as JsonObject
            ?? throw new InvalidOperationException("hazards: settings did not serialize to a JSON object.");
        var taken = new List<string>();
        Lay(overrides, merged, string.Empty);
        return (merged.Deserialize<HazardSettings>(RuntimeSettings.JsonOptions) ?? hazards, taken);

        void Lay(JsonObject from, JsonObject to, string prefix)
        {
            foreach (var (key, value) in from)
            {
                var path = prefix + key;
                var target = to.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Key ?? key;
                if (value is JsonObject child)
                {
                    if (to[target] is not JsonObject next)
                    {
                        next = [];
                        to[target] = next;
                    }

                    Lay(child, next, path + ".");
                }
                else if (!explicitKeys.Contains(path))
                {
                    to[target] = value?.DeepClone();
                    taken.Add(path);
                }
            }
        }
    }

    private static bool SameScorer(string a, string b) =>
        AnomalyScorerFactory.IsKnown(a) && AnomalyScorerFactory.IsKnown(b)
            ? AnomalyScorerFactory.CanonicalName(a) == AnomalyScorerFactory.CanonicalName(b)
            : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
