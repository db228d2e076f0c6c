using Host.Tools.Export;

namespace Host.Tools.Training;

/// <summary>One training run's settings, validated once at start.</summary>
public sealed record TrainingSettings
{
    public required string OutputDirectory { get; init; }

    public int Epochs { get; init; } = 100;

    public int BatchSize { get; init; } = 4;

    public double LearningRate { get; init; } = 5e-4;

    public double WeightDecay { get; init; } = 2e-4;

    public int InputHeight { get; init; } = 360;

    public int InputWidth { get; init; } = 480;

    public int Seed { get; init; } = 1;

    /// <summary>Wall-clock budget: the running epoch stops early once exceeded, is validated and checkpointed.</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>Stop after this many epochs in this run (resume later with the same settings).</summary>
    public int? StopAfterEpochs { get; init; }

    /// <summary>At most this many optimizer steps per epoch (quick runs, tests).</summary>
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Validate on at most this many images (default all).</summary>
    public int? MaxValidationImages { get; init; }

    /// <summary>Checkpoint folder or its JSON (<c>epoch-NNN.json</c>) to resume from.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Freeze every parameter but those of the last layer (BatchNorm statistics and dropout fixed: eval mode).</summary>
    public bool TrainLastLayerOnly { get; init; }

    public AugmentationSettings Augmentation { get; init; } = new();

    /// <summary>
    /// Input standardisation the network's checkpoint expects (<c>--input-mean/--input-std</c>); applied to every batch
    /// before the network and written into the exported graph, which therefore still takes [0,1] images. Null: none.
    /// </summary>
    public InputNormalization? InputNormalization { get; init; }

    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            errors.Add($"--out: expected a folder path, got '{OutputDirectory}'");
        }

        if (Epochs < 1)
        {
            errors.Add($"--epochs: expected >= 1, got {Epochs}");
        }

        if (BatchSize < 1)
        {
            errors.Add($"--batch-size: expected >= 1, got {BatchSize}");
        }

        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
        {
            errors.Add($"--lr: expected a finite value > 0, got {LearningRate}");
        }

        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay)))
        {
            errors.Add($"--weight-decay: expected a finite value >= 0, got {WeightDecay}");
        }

        if (InputHeight < 8 || InputWidth < 8)
        {
            errors.Add($"--input: expected at least 8x8, got {InputHeight}x{InputWidth}");
        }

        if (MaxMinutes is { } m && !(m > 0))
        {
            errors.Add($"--max-minutes: expected > 0, got {m}");
        }

        if (StopAfterEpochs is < 1)
        {
            errors.Add($"--stop-after: expected >= 1, got {StopAfterEpochs}");
        }

        if (MaxStepsPerEpoch is < 1)
        {
            errors.Add($"--max-steps: expected >= 1, got {MaxStepsPerEpoch}");
        }

        if (MaxValidationImages is < 1)
        {
            errors.Add($"--max-val-images: expected >= 1, got {MaxValidationImages}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid training settings: " + string.Join("; ", errors) + ".");
        }

        Augmentation.Validate();
    }

    /// <summary>Parses <c>HxW</c> (e.g. <c>360x480</c>).</summary>
    public static (int Height, int Width) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], out var h) && int.TryParse(parts[1], out var w) && h > 0 && w > 0
            ? (h, w)
            : throw new ArgumentException($"--input: expected HEIGHTxWIDTH (e.g. 360x480), got '{text}'.");
    }
}
