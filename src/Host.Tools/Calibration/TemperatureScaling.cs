namespace Host.Tools.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): softmax(l / T). NLL and ECE of cached pixels, and the T minimising the NLL:
/// a golden-section search over log T (NLL is unimodal in log T since it is convex in 1/T).
/// </summary>
public static class TemperatureScaling
{
    /// <summary>The paper's temperature grid.</summary>
    public static IReadOnlyList<double> PaperGrid { get; } = [0.5, 0.75, 1.1, 2.15];

    /// <summary>Mean negative log-likelihood of the true class at temperature <paramref name="temperature"/>.</summary>
    public static double Nll(CalibrationPixels pixels, double temperature)
    {
        Check(pixels, temperature);
        double sum = 0;
        for (var i = 0; i < pixels.Count; i++)
        {
            var logits = pixels.LogitsOf(i);
            var max = double.NegativeInfinity;
            foreach (var v in logits)
            {
                max = Math.Max(max, v / temperature);
            }

            double z = 0;
            foreach (var v in logits)
            {
                z += Math.Exp((v / temperature) - max);
            }

            sum += max + Math.Log(z) - (logits[pixels.Labels[i]] / temperature);
        }

        return sum / pixels.Count;
    }

    /// <summary>Expected calibration error with <paramref name="bins"/> equal-width confidence bins (max softmax vs accuracy).</summary>
    public static double Ece(CalibrationPixels pixels, double temperature, int bins = 15)
    {
        Check(pixels, temperature);
        var confidence = new double[bins];
        var correct = new long[bins];
        var count = new long[bins];
        for (var i = 0; i < pixels.Count; i++)
        {
            var logits = pixels.LogitsOf(i);
            var arg = 0;
            for (var c = 1; c < logits.Length; c++)
            {
                if (logits[c] > logits[arg])
                {
                    arg = c;
                }
            }

            double z = 0;
            foreach (var v in logits)
            {
                z += Math.Exp((v - logits[arg]) / temperature);
            }

            var p = 1 / z;
            var bin = Math.Min(bins - 1, (int)(p * bins));
            confidence[bin] += p;
            count[bin]++;
            if (arg == pixels.Labels[i])
            {
                correct[bin]++;
            }
        }

        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                ece += Math.Abs((correct[b] / (double)count[b]) - (confidence[b] / count[b])) * count[b] / pixels.Count;
            }
        }

        return ece;
    }

    /// <summary>T in [<paramref name="min"/>, <paramref name="max"/>] minimising the NLL (golden-section search on log T).</summary>
    public static double Fit(CalibrationPixels pixels, double min = 0.05, double max = 20, int iterations = 60)
    {
        if (pixels.Count == 0)
        {
            throw new InvalidDataException("Temperature calibration: no labelled pixel (every pixel void/ignored?).");
        }

        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(min), b = Math.Log(max);
        var c = b - (ratio * (b - a));
        var d = a + (ratio * (b - a));
        double fc = Nll(pixels, Math.Exp(c)), fd = Nll(pixels, Math.Exp(d));
        for (var i = 0; i < iterations; i++)
        {
            if (fc < fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - (ratio * (b - a));
                fc = Nll(pixels, Math.Exp(c));
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + (ratio * (b - a));
                fd = Nll(pixels, Math.Exp(d));
            }
        }

        return Math.Exp((a + b) / 2);
    }

    private static void Check(CalibrationPixels pixels, double temperature)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (!(temperature > 0 && double.IsFinite(temperature)))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Temperature: expected a finite value > 0.");
        }

        if (pixels.Count == 0)
        {
            throw new InvalidDataException("No labelled pixel to calibrate on.");
        }
    }
}
