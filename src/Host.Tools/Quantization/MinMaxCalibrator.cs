namespace Host.Tools.Quantization;

/// <summary>The observed minimum and maximum (PyTorch's MinMaxObserver, ORT's MinMax).</summary>
public sealed class MinMaxCalibrator : ICalibrator
{
    public string Name => "minmax";

    public bool NeedsHistogram => false;

    public (float Lo, float Hi) Range(TensorStatistics statistics) => (statistics.Min, statistics.Max);
}
