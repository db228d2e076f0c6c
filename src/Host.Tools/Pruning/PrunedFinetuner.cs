using Edge.Runtime.Models;
using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Pruning;

/// <summary>
/// Fine-tunes a pruned network: every parameter trained (BatchNorm statistics re-estimated) with cross-entropy and ENet
/// class weights; a 20-class network on Cityscapes data learns void as class 19 with weight 1, as the paper's void classifiers.
/// </summary>
public sealed class PrunedFinetuner
{
    private readonly ILogger _logger;

    public PrunedFinetuner(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <param name="format"><c>cityscapes</c> or <c>camvid</c> (the layout of <paramref name="data"/>).</param>
    /// <returns>The training result (best weights, epoch, score) and the class names of the data.</returns>
    public (TrainingResult Result, IReadOnlyList<string> Classes) Finetune(SegmentationNetwork pruned, string format, string data, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pruned);
        ArgumentNullException.ThrowIfNull(settings);
        if (format is not ("cityscapes" or "camvid"))
        {
            throw new ArgumentException($"--format: expected cityscapes or camvid, got '{format}'.");
        }

        var includeVoid = format == "cityscapes" && pruned.NumClasses == CityscapesClasses.WithVoid.Count;
        var (train, validation) = TrainingDatasets.Open(format, data, includeVoid, 0);
        if (train.NumClasses != pruned.NumClasses)
        {
            throw new ArgumentException($"--finetune {data}: the {format} data has {train.NumClasses} classes, the pruned network {pruned.NumClasses}.");
        }

        var frequencies = ClassFrequencies.Count(train);
        var weighting = new EnetClassWeighting();
        using var objective = new CrossEntropyObjective(includeVoid ? weighting.ComputeWithVoidLast(frequencies) : weighting.Compute(frequencies));
        _logger.LogInformation("fine-tuning the pruned {Architecture} ({Parameters} parameters) on {Count} {Format} images for {Epochs} epochs",
            pruned.Architecture, pruned.ParameterCount(), train.Samples.Count, format, settings.Epochs);
        var result = TrainingRunner.Run(new Trainer(settings, pruned, objective, train, validation, _logger), _logger);
        return (result, train.Classes);
    }
}
