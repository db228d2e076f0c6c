using System.Text.Json.Nodes;

namespace Host.Tools.HazardEvaluation;

/// <summary>The result of one <c>evaluate-hazards</c> run (results.json).</summary>
public sealed record HazardEvaluationReport
{
    public required string Model { get; init; }

    public required string ModelPath { get; init; }

    public string? Config { get; init; }

    public required string Provider { get; init; }

    public required string Scorer { get; init; }

    public required double Temperature { get; init; }

    public required double Threshold { get; init; }

    public required string ThresholdOrigin { get; init; }

    public required bool UsesOperatingPoint { get; init; }

    /// <summary>The hazards and tracking settings the run used (settings schema).</summary>
    public required JsonObject Hazards { get; init; }

    public required JsonObject Tracking { get; init; }

    /// <summary>How a labelled still was fed to the tracker: presented this many times (confirm_frames).</summary>
    public required int StillRepeats { get; init; }

    public required IReadOnlyList<HazardSetReport> Sets { get; init; }

    public required IReadOnlyList<HazardVideoReport> Videos { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>/proc/loadavg at the end of the run (timings are noisy on a shared machine).</summary>
    public string? LoadAverage { get; init; }
}
