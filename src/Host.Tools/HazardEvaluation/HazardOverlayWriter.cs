using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using Edge.Runtime.IO;
using Host.Tools.Evaluation;
using OpenCvSharp;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// A frame with its alerts and labels drawn: label outlines (cyan = found, magenta = missed), the ignore region
/// dimmed, alert boxes (green = true, red = false, grey = unlabelled); clip frames with the model's road and known
/// objects tinted and their hazards boxed. PNG, at most 1280 pixels wide.
/// </summary>
public static class HazardOverlayWriter
{
    private const int MaxWidth = 1280;

    /// <summary>
    /// A clip frame (no labels) with what the hazard path saw: the model's road (the ego road when that step is on) tinted green, its known-object pixels
    /// (<paramref name="knownClasses"/>, when the map has labels) tinted blue, the frame's hazards as grey boxes and the
    /// ones confirmed on this frame as red boxes.
    /// </summary>
    public static void WriteClipFrame(Mat bgr, ScoreMap map, IReadOnlyList<Hazard> hazards, IReadOnlyList<BoundingBox> confirmed, IReadOnlyList<int> knownClasses, string path)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(hazards);
        ArgumentNullException.ThrowIfNull(confirmed);
        ArgumentNullException.ThrowIfNull(knownClasses);
        using var canvas = bgr.Clone();
        Tint(canvas, map.Road, map, new Scalar(0, 160, 0));
        if (map.HasLabels && knownClasses.Count > 0)
        {
            var known = new byte[map.PixelCount];
            var isKnown = new bool[256];
            foreach (var c in knownClasses)
            {
                isKnown[c & 255] = true;
            }

            for (var i = 0; i < known.Length; i++)
            {
                known[i] = isKnown[map.Labels[i]] ? (byte)255 : (byte)0;
            }

            Tint(canvas, known, map, new Scalar(200, 80, 0));
        }

        var thickness = Math.Max(2, bgr.Width / 400);
        foreach (var h in hazards)
        {
            Cv2.Rectangle(canvas, new Rect(h.Bbox.X, h.Bbox.Y, h.Bbox.Width, h.Bbox.Height), new Scalar(160, 160, 160), thickness);
        }

        foreach (var b in confirmed)
        {
            Cv2.Rectangle(canvas, new Rect(b.X, b.Y, b.Width, b.Height), new Scalar(0, 0, 255), thickness);
        }

        Save(canvas, path);
    }

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

        Save(canvas, path);
    }

    /// <summary>Blends <paramref name="color"/> at 40 % into <paramref name="canvas"/> where the map-sized mask is set.</summary>
    private static void Tint(Mat canvas, byte[] mapMask, ScoreMap map, Scalar color)
    {
        using var small = Mat.FromPixelData(map.Height, map.Width, MatType.CV_8UC1, mapMask);
        using var mask = new Mat();
        Cv2.Resize(small, mask, canvas.Size(), 0, 0, InterpolationFlags.Nearest);
        using var layer = new Mat(canvas.Size(), canvas.Type(), color);
        using var blended = new Mat();
        Cv2.AddWeighted(canvas, 0.6, layer, 0.4, 0, blended);
        blended.CopyTo(canvas, mask);
    }

    private static void Save(Mat canvas, string path)
    {
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
