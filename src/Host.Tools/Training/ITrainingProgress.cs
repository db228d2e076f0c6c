namespace Host.Tools.Training;

/// <summary>Receives training progress (Spectre bars on a terminal, log lines otherwise).</summary>
public interface ITrainingProgress
{
    void EpochStarted(int epoch, int totalEpochs, int steps);

    void StepDone(int epoch, int step, int steps, double loss);

    void Validating(int epoch, int images);

    void EpochFinished(EpochRecord record);
}
