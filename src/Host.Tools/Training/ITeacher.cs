using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>A fixed network whose logits a student learns (distillation). Called without gradients.</summary>
public interface ITeacher : IDisposable
{
    string Description { get; }

    int NumClasses { get; }

    /// <summary>Logits [N,C,H,W] of images [N,3,H,W].</summary>
    Tensor Logits(Tensor images);
}
