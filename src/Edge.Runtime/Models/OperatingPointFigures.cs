namespace Edge.Runtime.Models;

/// <summary>What an operating point achieved on one set (hazard path, issue #11 matching rules).</summary>
public sealed record OperatingPointFigures
{
    public required string Set { get; init; }

    public required int Frames { get; init; }

    public required int Objects { get; init; }

    public required int Found { get; init; }

    public required int Alerts { get; init; }

    public required int TrueAlerts { get; init; }

    public required int FalseAlerts { get; init; }

    /// <summary>The objective's value on this set (e.g. the component mean F1, or the false alerts per frame).</summary>
    public double? Objective { get; init; }
}
