using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Runtime.IO;

namespace Host.Tools.HazardEvaluation;

/// <summary>Writes <c>results.json</c> and <c>report.md</c> of an <c>evaluate-hazards</c> run (each atomically).</summary>
public static class HazardReportWriter
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(HazardEvaluationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.SerializeToUtf8Bytes(report, JsonOptions);
        AtomicFile.Write(Path.Combine(directory, "results.json"), s => s.Write(json));
        var markdown = Encoding.UTF8.GetBytes(Markdown(report));
        AtomicFile.Write(Path.Combine(directory, "report.md"), s => s.Write(markdown));
    }

    public static HazardEvaluationReport Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"evaluate-hazards results not found: '{path}'.", path);
        }

        try
        {
            return JsonSerializer.Deserialize<HazardEvaluationReport>(File.ReadAllBytes(path), JsonOptions)
                ?? throw new InvalidDataException($"'{path}': expected an evaluate-hazards results object, got null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}': not evaluate-hazards results: {ex.Message}", ex);
        }
    }

    public static string Markdown(HazardEvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Hazard alerts: {report.Model}");
        md.AppendLine();
        md.AppendLine(c, $"Scorer {report.Scorer} (T = {report.Temperature:G4}), threshold {report.Threshold:G6} from {report.ThresholdOrigin}; provider {report.Provider}; config {report.Config ?? "(runtime defaults)"}; load average {report.LoadAverage ?? "n/a"}.");
        md.AppendLine(c, $"Hazards settings: `{report.Hazards.ToJsonString()}`; tracking: `{report.Tracking.ToJsonString()}` (each still presented {report.StillRepeats}x).");
        md.AppendLine();
        if (report.Sets.Count > 0)
        {
            md.AppendLine("Matching (issue #11): an object (8-connected anomaly component) is found when one alert box covers >= 50 % of its pixels or has box IoU >= 0.25 with it; an alert is true when >= 10 % of the labelled pixels (label 255 left out) in its box are anomaly; every other alert is false, including those whose box has no labelled pixel at all (column unlabelled, a part of false).");
            md.AppendLine();
            md.AppendLine("| set | frames | objects found | alerts | true | false | of which unlabelled | false / frame | sIoU | PPV | mean F1 | score ms | extract ms | track ms | hazard path ms | inference ms |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in report.Sets)
            {
                md.AppendLine(c, $"| {s.Set} | {s.Frames} | {s.Found}/{s.Objects} ({s.FoundPercent:F0} %) | {s.Alerts} | {s.TrueAlerts} | {s.FalseAlerts} | {s.UnlabelledAlerts} | {s.FalseAlertsPerFrame:F2} | {Format(s.Component?.SIoUGt)} | {Format(s.Component?.Ppv)} | {Format(s.Component?.F1Mean)} | {s.Times.ScoreMs:F2} | {s.Times.ExtractMs:F2} | {s.Times.TrackMs:F3} | {s.Times.HazardPathMs:F2} | {s.Times.InferenceMs:F0} |");
            }

            md.AppendLine();
        }

        if (report.Videos.Count > 0)
        {
            md.AppendLine("Clips (no obstacle on them: every confirmed hazard is false).");
            md.AppendLine();
            md.AppendLine("| video | frames | fps | minutes | hazards before tracking | confirmed hazards | false hazards / minute | hazard path ms | inference ms |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var v in report.Videos)
            {
                md.AppendLine(c, $"| {v.Video} | {v.Frames} | {v.Fps:F1} | {v.Minutes:F2} | {v.RawHazards} | {v.ConfirmedHazards} | {v.HazardsPerMinute:F2} | {v.Times.HazardPathMs:F2} | {v.Times.InferenceMs:F0} |");
            }

            md.AppendLine();
        }

        foreach (var s in report.Sets.Where(s => s.Overlays.Count > 0))
        {
            md.AppendLine(c, $"Worst frames of {s.Set} (cyan = found object, magenta = missed, green box = true alert, red = false, grey = false, no labelled pixel in the box): {string.Join(", ", s.Overlays.Select(o => $"[{Path.GetFileName(o)}]({o})"))}");
            md.AppendLine();
        }

        return md.ToString();
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
}
