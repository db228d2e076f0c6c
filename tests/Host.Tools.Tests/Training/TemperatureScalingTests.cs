using Host.Tools.Calibration;

namespace Host.Tools.Tests.Training;

public sealed class TemperatureScalingTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.15)]
    public void Fit_recovers_the_temperature_that_generated_the_labels(double trueTemperature)
    {
        // Labels drawn from softmax(z); the model reports z * T, so softmax(logits / T) is calibrated.
        var random = new Random(17);
        const int classes = 5;
        var pixels = new CalibrationPixels(classes);
        var z = new double[classes];
        var logits = new float[classes];
        for (var i = 0; i < 40_000; i++)
        {
            for (var c = 0; c < classes; c++)
            {
                z[c] = 2 * (random.NextDouble() - 0.5) * 3;
                logits[c] = (float)(z[c] * trueTemperature);
            }

            var sum = z.Sum(Math.Exp);
            var u = random.NextDouble() * sum;
            var label = 0;
            for (double acc = Math.Exp(z[0]); acc < u && label < classes - 1; acc += Math.Exp(z[++label]))
            {
            }

            pixels.Add(logits, (byte)label);
        }

        var fitted = TemperatureScaling.Fit(pixels);
        Assert.InRange(fitted, trueTemperature * 0.95, trueTemperature * 1.05);
        var nll = TemperatureScaling.Nll(pixels, fitted);
        foreach (var t in TemperatureScaling.PaperGrid)
        {
            Assert.True(nll <= TemperatureScaling.Nll(pixels, t) + 1e-9, $"NLL at fitted T {fitted} above NLL at grid T {t}");
        }

        Assert.True(TemperatureScaling.Ece(pixels, fitted) < 0.02, $"ECE at the fitted temperature: {TemperatureScaling.Ece(pixels, fitted)}");
        Assert.True(TemperatureScaling.Ece(pixels, fitted) < TemperatureScaling.Ece(pixels, trueTemperature * 3));
    }

    [Fact]
    public void Nll_matches_a_direct_computation()
    {
        var pixels = new CalibrationPixels(3);
        pixels.Add([1f, 2f, 0.5f], 1);
        pixels.Add([3f, -1f, 0f], 2);
        static double Nll(double[] l, int y, double t) => -Math.Log(Math.Exp(l[y] / t) / l.Sum(v => Math.Exp(v / t)));
        var expected = (Nll([1, 2, 0.5], 1, 2) + Nll([3, -1, 0], 2, 2)) / 2;
        Assert.Equal(expected, TemperatureScaling.Nll(pixels, 2), 6);
    }

    [Fact]
    public void Image_pixels_with_void_or_ignore_labels_are_skipped()
    {
        var pixels = new CalibrationPixels(2);
        float[] chw = [1, 2, 3, 4, 5, 6, 7, 8]; // 2 channels x 4 pixels
        pixels.AddImage(chw, 2, [0, 255, 1, 2], stride: 1);
        Assert.Equal(2, pixels.Count);
        Assert.Equal([1f, 5f], pixels.LogitsOf(0).ToArray());
        Assert.Equal([3f, 7f], pixels.LogitsOf(1).ToArray());
    }
}
