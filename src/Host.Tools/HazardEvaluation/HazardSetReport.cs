using Host.Tools.Evaluation.Components;

namespace Host.Tools.HazardEvaluation;

/// <summary>What a driver gets on one labelled set.</summary>
public sealed record HazardSetReport
{
    public required string Set { get; init; }

    public required int Frames { get; init; }

    public required int Objects { get; init; }

    public required int Found { get; init; }

    public required int Alerts { get; init; }

    public required int TrueAlerts { get; init; }

    public required int FalseAlerts { get; init; }

    /// <summary>The false alerts whose box holds no labelled pixel.</summary>
    public required int UnlabelledAlerts { get; init; }

    public double FoundPercent => Objects == 0 ? 0 : 100.0 * Found / Objects;

    public double FalseAlertsPerFrame => Frames == 0 ? 0 : (double)FalseAlerts / Frames;

    public required StepTimes Times { get; init; }

    /// <summary>
    /// SegmentMeIfYouCan component metrics of the hazard path's anomaly mask (threshold, candidates, road area,
    /// morphology) at model resolution, labels resized nearest to it; the set's benchmark sizes.
    /// </summary>
    public ComponentResult? Component { get; init; }

    /// <summary>Overlay files of the worst frames (relative to the report folder).</summary>
    public IReadOnlyList<string> Overlays { get; init; } = [];

    public required IReadOnlyList<HazardFrameResult> FrameResults { get; init; }
}
