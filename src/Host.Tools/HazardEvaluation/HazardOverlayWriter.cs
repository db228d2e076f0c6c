using Edge.Runtime.IO;
using Host.Tools.Evaluation;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// A frame with its alerts and labels drawn: label outlines (cyan = found, magenta = missed), the ignore region
/// dimmed, alert boxes (green = true, red = false, grey = unlabelled). PNG, at most 1280 pixels wide.
/// </summary>
public static class HazardOverlayWriter
{
    private const int MaxWidth = 1280;

    public static unsafe void Write(Mat bgr, LabelComponents labels, FrameMatch match, string path)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(match);
        using var canvas = bgr.Clone();
        var ignore = new byte[labels.Labels.Length];
        var anomaly = new byte[labels.Labels.Length];
        for (var i = 0; i < ignore.Length; i++)
        {
            ignore[i] = labels.Labels[i] == AnomalyDataset.Ignore ? (byte)255 : (byte)0;
            anomaly[i] = labels.Labels[i] == AnomalyDataset.Anomaly ? (byte)255 : (byte)0;
        }

        using (var ignoreMask = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_8UC1, ignore))
        using (var dimmed = new Mat())
        {
            Cv2.ConvertScaleAbs(canvas, dimmed, 0.45);
            dimmed.CopyTo(canvas, ignoreMask);
        }

        var thickness = Math.Max(2, labels.Width / 400);
        using (var anomalyMask = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_8UC1, anomaly))
        {
            Cv2.FindContours(anomalyMask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
            var index = labels.Components.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
            for (var c = 0; c < contours.Length; c++)
            {
                var p = contours[c][0];
                var id = labels.Ids[(p.Y * labels.Width) + p.X];
                var found = index.TryGetValue(id, out var o) && match.Found[o];
                Cv2.DrawContours(canvas, contours, c, found ? new Scalar(255, 255, 0) : new Scalar(255, 0, 255), thickness);
            }
        }

        for (var a = 0; a < match.Alerts.Count; a++)
        {
            var box = match.Alerts[a];
            var color = match.Verdicts[a] switch
            {
                AlertVerdict.True => new Scalar(0, 200, 0),
                AlertVerdict.False => new Scalar(0, 0, 255),
                _ => new Scalar(160, 160, 160),
            };
            Cv2.Rectangle(canvas, new Rect(box.X, box.Y, box.Width, box.Height), color, thickness);
        }

        using var output = new Mat();
        if (canvas.Width > MaxWidth)
        {
            Cv2.Resize(canvas, output, new Size(MaxWidth, (int)Math.Round(canvas.Height * (double)MaxWidth / canvas.Width)), 0, 0, InterpolationFlags.Area);
        }
        else
        {
            canvas.CopyTo(output);
        }

        Cv2.ImEncode(".png", output, out var png);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
