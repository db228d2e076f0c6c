namespace Host.Tools.HazardEvaluation;

/// <summary>Mean milliseconds per frame of each step; <see cref="HazardPathMs"/> = score + extract + track (after the network).</summary>
public sealed record StepTimes
{
    public required double PreprocessMs { get; init; }

    public required double InferenceMs { get; init; }

    /// <summary>Scorer over the logits plus the road labelling (argmax).</summary>
    public required double ScoreMs { get; init; }

    /// <summary>Threshold, road area, morphology, components, minimum area (<c>HazardExtractor</c>).</summary>
    public required double ExtractMs { get; init; }

    public required double TrackMs { get; init; }

    public double HazardPathMs => ScoreMs + ExtractMs + TrackMs;

    public static StepTimes Mean(IReadOnlyCollection<StepTimes> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return frames.Count == 0
            ? new StepTimes { PreprocessMs = 0, InferenceMs = 0, ScoreMs = 0, ExtractMs = 0, TrackMs = 0 }
            : new StepTimes
            {
                PreprocessMs = frames.Average(f => f.PreprocessMs),
                InferenceMs = frames.Average(f => f.InferenceMs),
                ScoreMs = frames.Average(f => f.ScoreMs),
                ExtractMs = frames.Average(f => f.ExtractMs),
                TrackMs = frames.Average(f => f.TrackMs),
            };
    }
}
