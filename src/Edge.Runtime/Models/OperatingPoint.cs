using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Models;

/// <summary>
/// Model card <c>operating_point</c>: the scorer, temperature, threshold and hazard post-processing chosen from
/// measurement by <c>edgeseg-tools calibrate-threshold --objective ...</c>, with the sets it was chosen on and the
/// figures it reached. <c>edgeseg run</c> uses it by default; explicit settings win (docs/runtime.md).
/// </summary>
public sealed record OperatingPoint
{
    /// <summary>Scorer name (<see cref="AnomalyScorerFactory.Names"/>).</summary>
    public required string Scorer { get; init; }

    /// <summary>Logit temperature of the scorer; null = 1.</summary>
    public double? Temperature { get; init; }

    public required double Threshold { get; init; }

    /// <summary>Hazard post-processing, in the schema of the settings' <c>hazards</c> section (only the keys chosen).</summary>
    public JsonObject? Hazards { get; init; }

    /// <summary>The objective it was chosen for (e.g. <c>component-f1</c>).</summary>
    public required string Objective { get; init; }

    /// <summary>Names of the labelled sets it was chosen on.</summary>
    public required IReadOnlyList<string> ChosenOn { get; init; }

    /// <summary>Figures per set: the sets it was chosen on and those it was checked on.</summary>
    public IReadOnlyList<OperatingPointFigures> Figures { get; init; } = [];

    public DateTimeOffset? Created { get; init; }

    /// <summary>Rule violations, fields prefixed with <paramref name="prefix"/>; empty when valid.</summary>
    public IEnumerable<string> Validate(string prefix, int classCount, int? voidIndex)
    {
        if (string.IsNullOrWhiteSpace(Scorer) || !AnomalyScorerFactory.IsKnown(Scorer))
        {
            yield return $"{prefix}.scorer: expected one of {string.Join(", ", AnomalyScorerFactory.Names)}, got '{Scorer}'";
        }
        else if (AnomalyScorerFactory.CanonicalName(Scorer) == nameof(ScoreKind.VoidClass) && voidIndex is null)
        {
            yield return $"{prefix}.scorer: VoidClass needs void_index, got void_index null";
        }

        if (Temperature is { } t && !(t > 0 && double.IsFinite(t)))
        {
            yield return $"{prefix}.temperature: expected a finite value > 0 or null, got {t}";
        }

        if (!double.IsFinite(Threshold))
        {
            yield return $"{prefix}.threshold: expected a finite number, got {Threshold}";
        }

        if (string.IsNullOrWhiteSpace(Objective))
        {
            yield return $"{prefix}.objective: expected a non-empty name, got '{Objective}'";
        }

        if (ChosenOn is null || ChosenOn.Count == 0 || ChosenOn.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{prefix}.chosen_on: expected at least one set name, got {(ChosenOn is null ? "null" : $"{ChosenOn.Count} entries")}";
        }

        if (Hazards is not null)
        {
            string? error = null;
            HazardSettings? hazards = null;
            try
            {
                hazards = Hazards.Deserialize<HazardSettings>(RuntimeSettings.JsonOptions);
            }
            catch (JsonException ex)
            {
                error = $"{prefix}.hazards: field {ex.Path ?? "$"}: {ex.Message}";
            }

            if (error is not null)
            {
                yield return error;
            }
            else if (hazards is null)
            {
                yield return $"{prefix}.hazards: expected an object, got null";
            }
            else
            {
                foreach (var e in hazards.Validate($"{prefix}.hazards", classCount))
                {
                    yield return e;
                }
            }
        }
    }
}
