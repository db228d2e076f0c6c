namespace Host.Tools.Training;

/// <summary>The paper's poly learning rate, per epoch: λ(t) = λ0 · (1 − (t − 1)/T)^0.9, t = 1..T.</summary>
public sealed class PolySchedule
{
    public const double DefaultPower = 0.9;

    public PolySchedule(double baseLearningRate, int totalEpochs, double power = DefaultPower)
    {
        if (!(baseLearningRate > 0 && double.IsFinite(baseLearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "Learning rate: expected a finite value > 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        BaseLearningRate = baseLearningRate;
        TotalEpochs = totalEpochs;
        Power = power;
    }

    public double BaseLearningRate { get; }

    public int TotalEpochs { get; }

    public double Power { get; }

    /// <summary>Learning rate of epoch <paramref name="epoch"/> (1-based).</summary>
    public double LearningRate(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epoch, TotalEpochs);
        return BaseLearningRate * Math.Pow(1 - ((epoch - 1) / (double)TotalEpochs), Power);
    }
}
