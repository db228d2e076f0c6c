using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Training;

/// <summary>Plain log lines: every epoch, and a step line at most every <c>interval</c>.</summary>
public sealed class LogTrainingProgress : ITrainingProgress
{
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private long _last;

    public LogTrainingProgress(ILogger logger, TimeSpan? interval = null)
    {
        _logger = logger;
        _interval = interval ?? TimeSpan.FromSeconds(20);
    }

    public void EpochStarted(int epoch, int totalEpochs, int steps)
    {
        _last = Stopwatch.GetTimestamp();
        _logger.LogInformation("epoch {Epoch}/{Total}: {Steps} steps", epoch, totalEpochs, steps);
    }

    public void StepDone(int epoch, int step, int steps, double loss)
    {
        if (Stopwatch.GetElapsedTime(_last) >= _interval || step == steps)
        {
            _last = Stopwatch.GetTimestamp();
            _logger.LogInformation("epoch {Epoch} step {Step}/{Steps}: loss {Loss:F4}", epoch, step, steps, loss);
        }
    }

    public void Validating(int epoch, int images) =>
        _logger.LogInformation("epoch {Epoch}: validating on {Images} images", epoch, images);

    public void EpochFinished(EpochRecord record) =>
        _logger.LogInformation(
            "epoch {Epoch} done in {Seconds:F0} s: lr {Lr:G3}, train loss {TrainLoss:F4}, val loss {ValLoss:F4}, val mIoU {Miou:F4}{Partial}",
            record.Epoch, record.Seconds, record.LearningRate, record.TrainLoss, record.ValLoss ?? double.NaN, record.ValMiou ?? double.NaN,
            record.Complete ? string.Empty : " (cut short by the time budget)");
}
