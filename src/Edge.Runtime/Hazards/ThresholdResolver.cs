using System.Text.Json;
using Edge.Runtime.Models;

namespace Edge.Runtime.Hazards;

/// <summary>
/// The operating threshold: the setting if given, else the model card's <c>threshold</c> (a number, or an object with
/// <c>value</c> and optionally <c>score</c> naming the scorer it was calibrated for), else a documented default per score.
/// </summary>
public static class ThresholdResolver
{
    /// <summary>Defaults when neither settings nor the card give one (see docs/runtime.md).</summary>
    public static IReadOnlyDictionary<string, float> Defaults { get; } = new Dictionary<string, float>(StringComparer.OrdinalIgnoreCase)
    {
        ["VoidClass"] = 0.5f,
        ["MaxLogit"] = -3.0f,
        ["MSP"] = 0.5f,
    };

    /// <summary>The threshold and where it came from (<c>settings</c>, <c>model card</c>, <c>default</c>).</summary>
    public static (float Threshold, string Origin) Resolve(double? setting, ModelCard card, string scorer)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (setting is { } s)
        {
            return ((float)s, "settings");
        }

        if (card.Threshold is { } element)
        {
            if (element.ValueKind == JsonValueKind.Number)
            {
                return ((float)element.GetDouble(), "model card");
            }

            if (element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number
                && (!element.TryGetProperty("score", out var score) || string.Equals(score.GetString(), scorer, StringComparison.OrdinalIgnoreCase)))
            {
                return ((float)value.GetDouble(), "model card");
            }
        }

        if (Defaults.TryGetValue(scorer, out var fallback))
        {
            return (fallback, "default");
        }

        throw new ArgumentException($"scoring.threshold: expected a number for scorer '{scorer}' (no model-card threshold and no default for it), got null.");
    }
}
