namespace Host.Tools.Training;

/// <summary>What a run produced: the log, the best epoch and its weights, the last checkpoint.</summary>
public sealed record TrainingResult
{
    public required IReadOnlyList<EpochRecord> History { get; init; }

    public required int BestEpoch { get; init; }

    public required double BestScore { get; init; }

    public required string BestMetric { get; init; }

    public required string BestWeights { get; init; }

    public required string LastCheckpoint { get; init; }

    public required long Steps { get; init; }
}
