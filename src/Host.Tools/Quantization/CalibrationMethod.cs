namespace Host.Tools.Quantization;

/// <summary>How activation ranges are chosen (<c>--method</c>).</summary>
public enum CalibrationMethod
{
    MinMax,
    Percentile,
    Entropy,
}
