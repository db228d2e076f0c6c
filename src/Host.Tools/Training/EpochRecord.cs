namespace Host.Tools.Training;

/// <summary>One epoch of the training log.</summary>
public sealed record EpochRecord
{
    public required int Epoch { get; init; }

    public required double LearningRate { get; init; }

    public required double TrainLoss { get; init; }

    public double? ValLoss { get; init; }

    public double? ValMiou { get; init; }

    public required double Seconds { get; init; }

    public required int Steps { get; init; }

    /// <summary>False when the time budget cut the epoch short.</summary>
    public bool Complete { get; init; } = true;
}
