namespace Host.Tools.HazardEvaluation;

/// <summary>An unlabelled clip: how many distinct hazards the tracker confirmed per minute of driving.</summary>
public sealed record HazardVideoReport
{
    public required string Video { get; init; }

    public required int Frames { get; init; }

    public required double Fps { get; init; }

    public double Minutes => Fps > 0 ? Frames / Fps / 60.0 : 0;

    /// <summary>Hazards before tracking, summed over frames.</summary>
    public required int RawHazards { get; init; }

    /// <summary>Distinct hazards confirmed by the tracker (<c>new</c> events).</summary>
    public required int ConfirmedHazards { get; init; }

    /// <summary>On a clip without obstacles every confirmed hazard is false.</summary>
    public double HazardsPerMinute => Minutes > 0 ? ConfirmedHazards / Minutes : 0;

    public required StepTimes Times { get; init; }

    /// <summary>Overlays of the first frames on which a hazard was confirmed (road green, known objects blue, hazards
    /// grey, the confirmed ones red).</summary>
    public IReadOnlyList<string> Overlays { get; init; } = [];
}
