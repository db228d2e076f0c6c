using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Training;

public sealed class DistillationTests
{
    [Fact]
    public void Distillation_loss_is_tau_squared_times_the_pixel_mean_kl_divergence()
    {
        var gen = new Generator(3);
        using var s = randn([2, 4, 3, 5], generator: gen);
        using var t = randn([2, 4, 3, 5], generator: gen);
        const double tau = 4;
        var sv = s.data<float>().ToArray();
        var tv = t.data<float>().ToArray();
        double total = 0;
        for (var n = 0; n < 2; n++)
        {
            for (var p = 0; p < 15; p++)
            {
                double[] ls = new double[4], lt = new double[4];
                for (var c = 0; c < 4; c++)
                {
                    ls[c] = sv[(n * 60) + (c * 15) + p] / tau;
                    lt[c] = tv[(n * 60) + (c * 15) + p] / tau;
                }

                double zs = ls.Sum(Math.Exp), zt = lt.Sum(Math.Exp);
                for (var c = 0; c < 4; c++)
                {
                    var pt = Math.Exp(lt[c]) / zt;
                    total += pt * (Math.Log(pt) - Math.Log(Math.Exp(ls[c]) / zs));
                }
            }
        }

        using var loss = DistillationObjective.Distill(s, t, tau);
        Assert.Equal(tau * tau * total / 30, loss.item<float>(), 4);
        using var zero = DistillationObjective.Distill(t, t, tau);
        Assert.Equal(0, zero.item<float>(), 5);
    }

    [Fact]
    public void A_student_learns_the_teacher_on_unlabelled_images()
    {
        using var data = new SyntheticCamVid(images: 4, height: 32, width: 48);
        torch.random.manual_seed(5);
        var teacherNet = NetworkFactory.Create("midenet", 4);
        using var teacher = new NetworkTeacher(teacherNet, "random midenet");
        using var student = NetworkFactory.Create("midenet", 4);
        var images = TrainingDataset.Unlabelled(Path.Combine(data.Root, "train"), 4);
        Assert.False(images.IsLabelled);
        var objective = new DistillationObjective(teacher, tau: 2, alpha: 0.5, supervised: null);
        var settings = new TrainingSettings
        {
            OutputDirectory = Path.Combine(data.Root, "distill"), Epochs = 12, BatchSize = 2, InputHeight = 32, InputWidth = 48,
            LearningRate = 5e-3, Augmentation = AugmentationSettings.None,
        };
        var result = new Trainer(settings, student, objective, images, null, NullLogger.Instance).Run(new LogTrainingProgress(NullLogger.Instance));
        var first = result.History[0].TrainLoss;
        var last = result.History[^1].TrainLoss;
        Assert.True(last < 0.5 * first, $"distillation loss {first:F5} -> {last:F5}, expected a fall of at least 50%");
        Assert.Null(result.History[^1].ValMiou);
    }
}
