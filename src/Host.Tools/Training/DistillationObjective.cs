using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>
/// Knowledge distillation (Hinton et al.): τ² · KL(softmax(t/τ) ‖ softmax(s/τ)) per pixel (batch-mean over pixels),
/// blended with the cross-entropy on labels when the batch has them: α · KD + (1 − α) · CE; without labels the loss is
/// the KD term alone.
/// </summary>
public sealed class DistillationObjective : ITrainingObjective
{
    private readonly ITeacher _teacher;
    private readonly ITrainingObjective? _supervised;

    public DistillationObjective(ITeacher teacher, double tau, double alpha, ITrainingObjective? supervised)
    {
        if (!(tau > 0 && double.IsFinite(tau)))
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "--tau: expected a finite value > 0.");
        }

        if (alpha is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "--alpha: expected 0..1.");
        }

        _teacher = teacher;
        Tau = tau;
        Alpha = alpha;
        _supervised = supervised;
    }

    public double Tau { get; }

    public double Alpha { get; }

    public string Name => $"distillation (tau {Tau}, alpha {Alpha})";

    public bool RequiresLabels => false;

    public Tensor Loss(Tensor logits, Tensor images, Tensor? labels)
    {
        using var teacherLogits = _teacher.Logits(images);
        if (teacherLogits.shape[1] != logits.shape[1])
        {
            throw new ArgumentException($"Teacher '{_teacher.Description}' has {teacherLogits.shape[1]} classes, the student {logits.shape[1]}.");
        }

        var kd = Distill(logits, teacherLogits, Tau);
        if (labels is null || _supervised is null)
        {
            return kd;
        }

        using var ce = _supervised.Loss(logits, images, labels);
        using var kdPart = kd * Alpha;
        kd.Dispose();
        return kdPart + (ce * (1 - Alpha));
    }

    /// <summary>τ² · mean over pixels of Σ_c p_t log(p_t / p_s) with p = softmax(logits/τ) over channels.</summary>
    public static Tensor Distill(Tensor studentLogits, Tensor teacherLogits, double tau)
    {
        using var scope = NewDisposeScope();
        var logStudent = nn.functional.log_softmax(studentLogits / tau, 1);
        var logTeacher = nn.functional.log_softmax(teacherLogits.detach() / tau, 1);
        var perPixel = (logTeacher.exp() * (logTeacher - logStudent)).sum(1);
        return (perPixel.mean() * (tau * tau)).MoveToOuterDisposeScope();
    }
}
