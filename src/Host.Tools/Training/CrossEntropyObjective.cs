using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>Pixel-wise (optionally class-weighted) cross-entropy; label 255 ignored.</summary>
public sealed class CrossEntropyObjective : ITrainingObjective, IDisposable
{
    private readonly Tensor? _weights;

    public CrossEntropyObjective(float[]? classWeights)
    {
        _weights = classWeights is null ? null : tensor(classWeights);
    }

    public string Name => _weights is null ? "cross-entropy" : "weighted cross-entropy";

    public bool RequiresLabels => true;

    public Tensor Loss(Tensor logits, Tensor images, Tensor? labels)
    {
        if (labels is null)
        {
            throw new InvalidOperationException("Cross-entropy needs labels; the dataset has unlabelled images.");
        }

        return nn.functional.cross_entropy(logits, labels, _weights, ignore_index: TrainingDataset.IgnoreIndex);
    }

    public void Dispose() => _weights?.Dispose();
}
