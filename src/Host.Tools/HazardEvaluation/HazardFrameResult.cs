namespace Host.Tools.HazardEvaluation;

/// <summary>One labelled frame: what was published and how it matched.</summary>
public sealed record HazardFrameResult
{
    public required string Image { get; init; }

    public required int Objects { get; init; }

    public required int Found { get; init; }

    public required int Alerts { get; init; }

    public required int TrueAlerts { get; init; }

    public required int FalseAlerts { get; init; }

    public required int UnlabelledAlerts { get; init; }

    public required StepTimes Times { get; init; }

    /// <summary>Missed objects + false alerts: the ranking of the worst frames.</summary>
    public int Badness => Objects - Found + FalseAlerts;
}
