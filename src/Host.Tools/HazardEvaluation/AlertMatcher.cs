using Edge.Runtime.Alerts;
using Host.Tools.Evaluation;

namespace Host.Tools.HazardEvaluation;

/// <summary>
/// The matching rules of issue #11, in label pixels. A label component (8-connected anomaly pixels) is found when one
/// alert box covers at least <see cref="CoverFraction"/> of its pixels or has box IoU at least <see cref="MinBoxIou"/>
/// with its bounding box. An alert is true when at least <see cref="TrueAlertFraction"/> of the labelled pixels
/// (anomaly + normal; ignore = 255 is left out of the denominator) inside its box are anomaly; a box with no labelled
/// pixel at all is <see cref="AlertVerdict.Unlabelled"/> (not true: counted false, and also reported apart).
/// </summary>
public static class AlertMatcher
{
    public const double CoverFraction = 0.5;
    public const double MinBoxIou = 0.25;
    public const double TrueAlertFraction = 0.1;

    /// <summary>Matches <paramref name="alerts"/> (boxes in label pixels; clipped to the mask) against <paramref name="labels"/>.</summary>
    public static FrameMatch Match(LabelComponents labels, IReadOnlyList<BoundingBox> alerts)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(alerts);
        var objects = labels.Components;
        var found = new bool[objects.Count];
        var verdicts = new AlertVerdict[alerts.Count];
        var covered = new int[objects.Count + 1];
        var width = labels.Width;
        for (var a = 0; a < alerts.Count; a++)
        {
            var box = alerts[a];
            var x0 = Math.Clamp(box.X, 0, width);
            var y0 = Math.Clamp(box.Y, 0, labels.Height);
            var x1 = Math.Clamp(box.X + box.Width, 0, width);
            var y1 = Math.Clamp(box.Y + box.Height, 0, labels.Height);
            Array.Clear(covered);
            long anomaly = 0, labelled = 0;
            for (var y = y0; y < y1; y++)
            {
                var row = y * width;
                for (var x = x0; x < x1; x++)
                {
                    var value = labels.Labels[row + x];
                    if (value == AnomalyDataset.Ignore)
                    {
                        continue;
                    }

                    labelled++;
                    if (value == AnomalyDataset.Anomaly)
                    {
                        anomaly++;
                        covered[labels.Ids[row + x]]++;
                    }
                }
            }

            verdicts[a] = labelled == 0 ? AlertVerdict.Unlabelled
                : anomaly >= TrueAlertFraction * labelled ? AlertVerdict.True
                : AlertVerdict.False;
            for (var o = 0; o < objects.Count; o++)
            {
                var component = objects[o];
                if (covered[component.Id] >= CoverFraction * component.PixelCount || box.IoU(component.Box) >= MinBoxIou)
                {
                    found[o] = true;
                }
            }
        }

        return new FrameMatch { Objects = objects, Found = found, Alerts = alerts, Verdicts = verdicts };
    }
}
