using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>What a training run minimises, given the network's logits, its input images and (optionally) labels.</summary>
public interface ITrainingObjective
{
    string Name { get; }

    /// <summary>Whether the objective needs labels (false: also works on unlabelled images).</summary>
    bool RequiresLabels { get; }

    /// <summary>Scalar loss; <paramref name="labels"/> is [N,H,W] int64 with 255 = ignore, or null for unlabelled images.</summary>
    Tensor Loss(Tensor logits, Tensor images, Tensor? labels);
}
