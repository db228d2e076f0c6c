using Edge.Runtime.IO;
using Host.Tools.Preprocessing;
using OpenCvSharp;

namespace Host.Tools.Evaluation;

/// <summary>Anomaly heat-map overlay: the score map (min-max normalised per image, JET colormap) blended over the image.</summary>
public static class OverlayWriter
{
    public static void Write(RgbImage image, ReadOnlySpan<float> scores, int scoreWidth, int scoreHeight, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var s in scores)
        {
            if (float.IsFinite(s))
            {
                min = Math.Min(min, s);
                max = Math.Max(max, s);
            }
        }

        var range = max > min ? max - min : 1f;
        var gray = new byte[scoreWidth * scoreHeight];
        for (var i = 0; i < gray.Length; i++)
        {
            var s = scores[i];
            var v = float.IsPositiveInfinity(s) ? 1f : float.IsFinite(s) ? (s - min) / range : 0f;
            gray[i] = (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
        }

        using var grayMat = Mat.FromPixelData(scoreHeight, scoreWidth, MatType.CV_8UC1, gray);
        using var color = new Mat();
        Cv2.ApplyColorMap(grayMat, color, ColormapTypes.Jet);
        using var colorFull = new Mat();
        Cv2.Resize(color, colorFull, new Size(image.Width, image.Height), 0, 0, InterpolationFlags.Linear);
        using var rgb = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var bgr = new Mat();
        Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
        using var blended = new Mat();
        Cv2.AddWeighted(bgr, 0.5, colorFull, 0.5, 0, blended);
        Cv2.ImEncode(".png", blended, out var png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
