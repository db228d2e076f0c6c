using System.Globalization;
using System.Text;
using System.Text.Json;
using Edge.Runtime.IO;

namespace Host.Tools.Evaluation;

/// <summary>Writes <c>results.json</c>, <c>results.csv</c>, <c>report.md</c> and the curve PNGs of an evaluation.</summary>
public static class EvaluationReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(AnomalyEvaluationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var curveFiles = new List<string>();
        foreach (var group in report.Curves.GroupBy(c => c.Dataset))
        {
            curveFiles.AddRange(CurvePlotter.Write(report.Model, group.Key, [.. group], Path.Combine(directory, "curves")));
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(report, EvaluationJson.Options);
        AtomicFile.Write(Path.Combine(directory, "results.json"), s => s.Write(json));
        AtomicFile.Write(Path.Combine(directory, "results.csv"), s => s.Write(Encoding.UTF8.GetBytes(Csv(report))));
        AtomicFile.Write(Path.Combine(directory, "report.md"), s => s.Write(Encoding.UTF8.GetBytes(Markdown(report, curveFiles, directory))));
    }

    public static string Csv(AnomalyEvaluationReport report)
    {
        var sb = new StringBuilder("model,dataset,method,temperature,auprc,fpr95,auroc,images,skipped,pixels,anomaly_pixels,distinct_scores,"
            + "component_threshold,min_segment_px,min_object_px,siou_gt,ppv,f1_25,f1_50,f1_75,f1_mean\n");
        foreach (var r in report.Results)
        {
            var c = r.Component;
            sb.Append(Inv, $"{report.Model},{r.Dataset},{r.Method},{r.Temperature},{F(r.Auprc)},{F(r.Fpr95)},{F(r.Auroc)},{r.Images},{r.Skipped},{r.Pixels},{r.AnomalyPixels},{r.DistinctScores},");
            sb.Append(Inv, $"{F(c?.Threshold)},{c?.MinSegmentPixels},{c?.MinObjectPixels},{F(c?.SIoUGt)},{F(c?.Ppv)},{F(c?.F1At25)},{F(c?.F1At50)},{F(c?.F1At75)},{F(c?.F1Mean)}\n");
        }

        return sb.ToString();
    }

    public static string Markdown(AnomalyEvaluationReport report, IReadOnlyList<string> curveFiles, string directory)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"# Anomaly evaluation: {report.Model}\n\n");
        sb.Append(Inv, $"Model `{report.ModelPath}` on {report.Provider}; FPR95 convention: {report.Fpr95Convention}; created {report.Created:u}.\n");
        sb.Append("Protocol: Pillow-bilinear input and Pillow-NEAREST mask at the model size, images without anomaly pixels skipped, pixels pooled per dataset, exact AuPRC (scikit-learn average precision) and FPR95 from per-value histograms. Values in percent.\n\n");
        sb.Append("| Dataset | Score | AuPRC | FPR95 | AUROC | images | skipped | pixels | distinct scores |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in report.Results)
        {
            var label = new ScoreSpec(r.Method, r.Temperature).Label;
            sb.Append(Inv, $"| {r.Dataset} | {label} | {F2(r.Auprc)} | {F2(r.Fpr95)} | {F2(r.Auroc)} | {r.Images} | {r.Skipped} | {r.Pixels} | {r.DistinctScores} |\n");
        }

        if (report.Results.Any(r => r.Component is not null))
        {
            sb.Append("\n## Component metrics (SegmentMeIfYouCan)\n\n");
            sb.Append("Predicted = score > threshold inside the region of interest, 8-connected components at the evaluated resolution; sIoU = mean over label components, PPV = mean over predicted components, F1 at τ = 0.25 / 0.5 / 0.75 and mean F1 over τ = 0.25 … 0.75 (docs/evaluation-components.md). Threshold: given, else the pixel-level best-F1 threshold. Values in percent.\n\n");
            sb.Append("| Dataset | Score | threshold | min segment / object px | sIoU | PPV | F1 τ=0.25 | F1 τ=0.5 | F1 τ=0.75 | mean F1 |\n|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var r in report.Results)
            {
                if (r.Component is not { } c)
                {
                    continue;
                }

                var label = new ScoreSpec(r.Method, r.Temperature).Label;
                sb.Append(Inv, $"| {r.Dataset} | {label} | {c.Threshold:G6} | {c.MinSegmentPixels} / {c.MinObjectPixels} | {F2(c.SIoUGt)} | {F2(c.Ppv)} | {F2(c.F1At25)} | {F2(c.F1At50)} | {F2(c.F1At75)} | {F2(c.F1Mean)} |\n");
            }
        }

        sb.Append("\n## Timing and memory\n\n| Dataset | images | skipped | wall (s) | s / image | inference (s) | scores + histograms (s) | metrics (s) | components (s) | histogram MB | peak working set MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var t in report.Timing)
        {
            sb.Append(Inv, $"| {t.Dataset} | {t.Images} | {t.Skipped} | {t.WallSeconds:F1} | {t.SecondsPerImage:F3} | {t.InferenceSeconds:F1} | {t.ScoringSeconds:F1} | {t.MetricsSeconds:F2} | {t.ComponentSeconds:F2} | {t.HistogramBytes / 1e6:F1} | {t.PeakWorkingSetBytes / 1e6:F0} |\n");
        }

        sb.Append(Inv, $"\nTotal {report.TotalSeconds:F1} s; process peak working set {report.PeakWorkingSetBytes / 1e6:F0} MB.\n");
        if (curveFiles.Count > 0)
        {
            sb.Append("\n## Curves\n\n");
            foreach (var file in curveFiles)
            {
                var rel = Path.GetRelativePath(directory, file);
                sb.Append(Inv, $"![{Path.GetFileNameWithoutExtension(file)}]({rel})\n");
            }
        }

        return sb.ToString();
    }

    private static string F(double? v) => v is null ? string.Empty : v.Value.ToString("R", Inv);

    private static string F2(double? v) => v is null ? "n/a" : v.Value.ToString("F2", Inv);
}
