namespace Host.Tools.Calibration;

/// <summary>What one candidate operating point reached on one set (hazard path, issue #11 matching).</summary>
public sealed record CandidateFigures
{
    public required string Set { get; init; }

    public required int Frames { get; init; }

    public required int Objects { get; init; }

    public required int Found { get; init; }

    public required int Alerts { get; init; }

    public required int TrueAlerts { get; init; }

    public int FalseAlerts => Alerts - TrueAlerts;

    public double Recall => Objects == 0 ? 0 : (double)Found / Objects;

    public double FalseAlertsPerFrame => Frames == 0 ? 0 : (double)FalseAlerts / Frames;

    /// <summary>SegmentMeIfYouCan mean F1 (percent) of the hazard path's mask; null when undefined.</summary>
    public double? ComponentF1 { get; init; }

    public double? ComponentSIoU { get; init; }

    public double? ComponentPpv { get; init; }

    /// <summary>Mean milliseconds of <c>HazardExtractor.Extract</c> per frame (candidates of a run are interleaved by variant).</summary>
    public double ExtractMs { get; init; }
}
