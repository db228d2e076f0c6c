using Edge.Runtime.IO;
using ScottPlot;

namespace Host.Tools.Evaluation;

/// <summary>PR and ROC curves of every score of one dataset as PNG (ScottPlot).</summary>
public static class CurvePlotter
{
    public const int Width = 900;
    public const int Height = 650;

    /// <summary>Writes <c>&lt;dataset&gt;-pr.png</c> and <c>&lt;dataset&gt;-roc.png</c> into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> Write(string model, string dataset, IReadOnlyList<DatasetCurves> curves, string directory)
    {
        var pr = Path.Combine(directory, $"{dataset}-pr.png");
        var roc = Path.Combine(directory, $"{dataset}-roc.png");
        Plot(curves, c => c.Pr, $"{model} — {dataset}: precision-recall", "Recall", "Precision", pr);
        Plot(curves, c => c.Roc, $"{model} — {dataset}: ROC", "False positive rate", "True positive rate", roc);
        return [pr, roc];
    }

    private static void Plot(IReadOnlyList<DatasetCurves> curves, Func<DatasetCurves, IReadOnlyList<Host.Tools.Metrics.CurvePoint>> select, string title, string x, string y, string path)
    {
        var plot = new Plot();
        foreach (var curve in curves)
        {
            var points = select(curve);
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = curve.Spec.Label;
            line.LineWidth = 2;
        }

        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend();
        var bytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
