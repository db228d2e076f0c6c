namespace Host.Tools.Training;

/// <summary>
/// Training augmentation as in the original papers: random scale (uniform in [<see cref="ScaleMin"/>,
/// <see cref="ScaleMax"/>] of the input size), random crop back to the input size (padding with ignore / black when
/// the scaled image is smaller), horizontal flip with probability <see cref="FlipProbability"/>.
/// </summary>
public sealed record AugmentationSettings
{
    public static AugmentationSettings None { get; } = new() { ScaleMin = 1, ScaleMax = 1, FlipProbability = 0 };

    public double ScaleMin { get; init; } = 0.75;

    public double ScaleMax { get; init; } = 1.5;

    public double FlipProbability { get; init; } = 0.5;

    public void Validate()
    {
        if (!(ScaleMin > 0 && ScaleMax >= ScaleMin && double.IsFinite(ScaleMax)))
        {
            throw new ArgumentException($"Augmentation scale: expected 0 < scale-min <= scale-max, got [{ScaleMin}, {ScaleMax}].");
        }

        if (FlipProbability is < 0 or > 1)
        {
            throw new ArgumentException($"Augmentation flip probability: expected 0..1, got {FlipProbability}.");
        }
    }
}
