using System.Text.Json.Nodes;

namespace Host.Tools.Calibration;

/// <summary>What <c>calibrate-threshold --objective</c> searches and where.</summary>
public sealed record HazardCalibrationSettings
{
    public required string ModelPath { get; init; }

    /// <summary>edgeseg.json whose hazards / tracking / model sections are the base (null = the runtime's defaults).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>A folder of labelled sets (or one set).</summary>
    public required string DataPath { get; init; }

    /// <summary>Sets the operating point is chosen on.</summary>
    public required IReadOnlyList<string> ChooseOn { get; init; }

    /// <summary>Sets the chosen point is only reported on (leave-one-set-out).</summary>
    public IReadOnlyList<string> CheckOn { get; init; } = [];

    /// <summary>Scorers to try.</summary>
    public required IReadOnlyList<string> Scorers { get; init; }

    /// <summary>Temperature of the scorers that use one (null = the card's, else 1).</summary>
    public double? Temperature { get; init; }

    /// <summary>Post-processing variants: objects in the settings' <c>hazards</c> schema laid over the config's hazards.</summary>
    public required IReadOnlyList<JsonObject> Variants { get; init; }

    /// <summary>Score quantiles (of the chosen sets' pixels) tried as thresholds.</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999];

    public required IHazardObjective Objective { get; init; }

    /// <summary>The built-in variants: as configured; road-enclosure candidates; perspective minimum size; both.</summary>
    public static IReadOnlyList<JsonObject> DefaultVariants() =>
    [
        [],
        new JsonObject { ["road_enclosure"] = new JsonObject { ["enabled"] = true } },
        new JsonObject { ["perspective_min_area"] = new JsonObject { ["enabled"] = true } },
        new JsonObject { ["road_enclosure"] = new JsonObject { ["enabled"] = true }, ["perspective_min_area"] = new JsonObject { ["enabled"] = true } },
    ];
}
