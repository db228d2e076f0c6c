namespace Edge.Runtime.Tracking;

/// <summary>How hazards are followed across frames (settings <c>tracking</c>).</summary>
public sealed record TrackingSettings
{
    /// <summary>Minimum IoU between a track's last box and a new hazard for them to match.</summary>
    public double MatchIou { get; init; } = 0.2;

    /// <summary>Consecutive frames a hazard must be seen before its <c>new</c> event.</summary>
    public int ConfirmFrames { get; init; } = 3;

    /// <summary>Consecutive frames a confirmed hazard may be missed before its <c>end</c> event.</summary>
    public int EndAfterMissedFrames { get; init; } = 5;

    /// <summary>Minimum time between two <c>update</c> events of a hazard, seconds.</summary>
    public double UpdateMinIntervalSeconds { get; init; } = 1.0;

    /// <summary>An update needs the box to have moved: IoU with the last published box below this.</summary>
    public double UpdateMaxIou { get; init; } = 0.8;

    /// <summary>... or the max score to have changed by at least this (absolute, score units).</summary>
    public double UpdateMinScoreChange { get; init; } = 0.1;

    public IEnumerable<string> Validate(string prefix)
    {
        if (!(MatchIou > 0 && MatchIou <= 1))
        {
            yield return $"{prefix}.match_iou: expected 0 < value <= 1, got {MatchIou}";
        }

        if (ConfirmFrames < 1)
        {
            yield return $"{prefix}.confirm_frames: expected >= 1, got {ConfirmFrames}";
        }

        if (EndAfterMissedFrames < 1)
        {
            yield return $"{prefix}.end_after_missed_frames: expected >= 1, got {EndAfterMissedFrames}";
        }

        if (!(UpdateMinIntervalSeconds >= 0 && double.IsFinite(UpdateMinIntervalSeconds)))
        {
            yield return $"{prefix}.update_min_interval_seconds: expected a finite value >= 0, got {UpdateMinIntervalSeconds}";
        }

        if (!(UpdateMaxIou >= 0 && UpdateMaxIou <= 1))
        {
            yield return $"{prefix}.update_max_iou: expected 0..1, got {UpdateMaxIou}";
        }

        if (!(UpdateMinScoreChange >= 0 && double.IsFinite(UpdateMinScoreChange)))
        {
            yield return $"{prefix}.update_min_score_change: expected a finite value >= 0, got {UpdateMinScoreChange}";
        }
    }
}
