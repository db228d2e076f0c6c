namespace Host.Tools.Quantization;

/// <summary>Turns the statistics of one activation into the real range [Lo, Hi] to quantize.</summary>
public interface ICalibrator
{
    string Name { get; }

    /// <summary>Whether <see cref="Range"/> reads the histograms (a second pass over the calibration images).</summary>
    bool NeedsHistogram { get; }

    (float Lo, float Hi) Range(TensorStatistics statistics);
}
