using Edge.Runtime.Alerts;

namespace Host.Tools.HazardEvaluation;

/// <summary>One frame's published alerts matched against its label components (<see cref="AlertMatcher"/>).</summary>
public sealed record FrameMatch
{
    public required IReadOnlyList<LabelComponent> Objects { get; init; }

    /// <summary>Per object (same order as <see cref="Objects"/>): whether an alert found it.</summary>
    public required IReadOnlyList<bool> Found { get; init; }

    public required IReadOnlyList<BoundingBox> Alerts { get; init; }

    /// <summary>Per alert (same order as <see cref="Alerts"/>).</summary>
    public required IReadOnlyList<AlertVerdict> Verdicts { get; init; }

    public int ObjectCount => Objects.Count;

    public int FoundCount => Found.Count(f => f);

    public int AlertCount => Alerts.Count;

    public int TrueAlerts => Verdicts.Count(v => v == AlertVerdict.True);

    /// <summary>Every alert that is not true, the unlabelled ones included (a driver gets them all).</summary>
    public int FalseAlerts => Verdicts.Count(v => v != AlertVerdict.True);

    /// <summary>The false alerts whose box holds no labelled pixel (all label 255).</summary>
    public int UnlabelledAlerts => Verdicts.Count(v => v == AlertVerdict.Unlabelled);
}
