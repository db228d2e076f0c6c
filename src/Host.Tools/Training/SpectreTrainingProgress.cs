using Spectre.Console;

namespace Host.Tools.Training;

/// <summary>Spectre progress bars: one per epoch, described with the running loss.</summary>
public sealed class SpectreTrainingProgress : ITrainingProgress
{
    private readonly ProgressContext _context;
    private ProgressTask? _task;

    public SpectreTrainingProgress(ProgressContext context)
    {
        _context = context;
    }

    public void EpochStarted(int epoch, int totalEpochs, int steps)
    {
        _task = _context.AddTask($"epoch {epoch}/{totalEpochs}", maxValue: steps);
    }

    public void StepDone(int epoch, int step, int steps, double loss)
    {
        if (_task is not null)
        {
            _task.Value = step;
            _task.Description = $"epoch {epoch} loss {loss:F4}";
        }
    }

    public void Validating(int epoch, int images)
    {
        if (_task is not null)
        {
            _task.Description = $"epoch {epoch} validating ({images} images)";
        }
    }

    public void EpochFinished(EpochRecord record)
    {
        if (_task is not null)
        {
            _task.Description = $"epoch {record.Epoch}: loss {record.TrainLoss:F4}, val mIoU {record.ValMiou ?? double.NaN:F4}";
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }
    }
}
