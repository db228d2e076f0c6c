using System.Globalization;
using System.Text.Json.Nodes;
using Host.Tools.Compression;
using Host.Tools.Evaluation.Components;
using Host.Tools.HazardEvaluation;
using Host.Tools.Tests.Import;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.HazardEvaluation;

/// <summary>
/// docs/alert-quality.md (<c>edgeseg-tools alert-quality-report</c>) from hand-made report folders: a float model
/// "mynet", its INT8 "a-mynet-int8" (named so that it sorts before its baseline) and another float model "other".
/// </summary>
public sealed class AlertQualityDocumentTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static CompressionBenchPlan Plan() => new()
    {
        Models =
        [
            new CompressionBenchEntry { Name = "MyNet float", Model = "models/mynet.onnx" },
            new CompressionBenchEntry { Name = "MyNet INT8", Model = "artifacts/compression/a-mynet-int8.onnx", Baseline = "MyNet float", Kind = CompressionKind.Int8 },
            new CompressionBenchEntry { Name = "Other float", Model = "models/other.onnx" },
        ],
    };

    [Fact]
    public void Compressed_model_follows_its_float_baseline_in_every_table()
    {
        using var dir = Reports();

        var md = Build(dir, CompressedModelIndex.FromPlan(Plan()));

        foreach (var table in new[] { "## Pixel level", "## Alerts on the labelled sets", "## False hazards on the highway clips", "## Milliseconds per frame" })
        {
            var section = Section(md, table);
            var mynet = section.IndexOf("| mynet |", StringComparison.Ordinal);
            var int8 = section.IndexOf("| a-mynet-int8 |", StringComparison.Ordinal);
            var other = section.IndexOf("| other |", StringComparison.Ordinal);
            Assert.True(mynet >= 0 && int8 > mynet && other > int8, $"{table}: mynet {mynet}, a-mynet-int8 {int8}, other {other}");
        }
    }

    [Fact]
    public void Without_a_plan_models_are_listed_by_name_and_nothing_is_compared()
    {
        using var dir = Reports();

        var md = Build(dir, compressed: null);

        var section = Section(md, "## Alerts on the labelled sets");
        Assert.True(section.IndexOf("| a-mynet-int8 |", StringComparison.Ordinal) < section.IndexOf("| mynet |", StringComparison.Ordinal));
        Assert.DoesNotContain("## Compressed models against their float baseline", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressed_rows_put_the_baseline_figures_beside_the_compressed_ones_per_configuration()
    {
        using var dir = Reports();

        var md = Build(dir, CompressedModelIndex.FromPlan(Plan()));

        var section = Section(md, "## Compressed models against their float baseline");
        // pixel: same score and set of the baseline
        Assert.Contains("| a-mynet-int8 (int8) | mynet | VoidClass | RoadObsticle21 | 20.0 → 18.5 | 40.0 → 42.3 | 30.6 → 27.1 |", section, StringComparison.Ordinal);
        // card default against the baseline's card default; the baseline's point against the baseline's operating-point run
        Assert.Contains(Row("card-default", "VoidClass ≥ 0.5", Baseline.CardDefault, Int8.CardDefault), section, StringComparison.Ordinal);
        Assert.Contains(Row("baseline-point", "VoidClass ≥ 0.6144", Baseline.Point, Int8.Point), section, StringComparison.Ordinal);
        Assert.Contains("| a-mynet-int8 | card-default | highway-vehicles.mp4 | 43 → 50 | 6 → 7 | " + PerMinute(6, 38) + " → " + PerMinute(7, 38) + " |", section, StringComparison.Ordinal);
        Assert.Contains("| a-mynet-int8 | baseline-point | highway-vehicles.mp4 | 0 → 2 | 0 → 1 | 0.0 → " + PerMinute(1, 38) + " |", section, StringComparison.Ordinal);
        Assert.DoesNotContain("| other", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Scorer_differing_from_the_baseline_is_shown_as_a_pair_and_a_missing_baseline_as_na()
    {
        using var dir = Reports();
        // the compressed model's own card default (another scorer), and a configuration the baseline never ran
        WriteHazards(dir.File("a-mynet-int8/card-default+sets"), "MaxLogit", -3, Int8.CardDefault, videos: false);
        WriteHazards(dir.File("a-mynet-int8/extra+sets"), "VoidClass", 0.5, Int8.CardDefault, videos: false);

        var section = Section(Build(dir, CompressedModelIndex.FromPlan(Plan())), "## Compressed models against their float baseline");

        Assert.Contains("| a-mynet-int8 | card-default | VoidClass ≥ 0.5 → MaxLogit ≥ -3 | RoadObsticle21 |", section, StringComparison.Ordinal);
        Assert.Contains("| a-mynet-int8 | extra | n/a → VoidClass ≥ 0.5 | RoadObsticle21 | n/a → 9/45 |", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_of_the_repository_plan_maps_every_compressed_model_to_its_float_baseline()
    {
        var plan = CompressionBenchPlan.Load(Path.Combine(TestPaths.RepoRoot, "build", "compression-bench.json"));

        var index = CompressedModelIndex.FromPlan(plan);

        var floats = plan.Models.Where(m => m.Baseline is null).Select(m => Path.GetFileNameWithoutExtension(m.Model)).ToHashSet();
        Assert.Equal(plan.Models.Count(m => m.Baseline is not null), index.Models.Count);
        Assert.All(index.Models, m => Assert.Contains(m.BaselineReportName, floats));
        Assert.Equal("enet-seed-560-void", index.Find("enet-seed-560-void-int8")!.BaselineReportName);
        Assert.Equal("erfnet-void-dequant", index.Find("erfnet-void-pruned30-ft")!.BaselineReportName);
        Assert.Equal(CompressionKind.Pruned, index.Find("erfnet-void-pruned30-ft")!.Kind);
        Assert.Equal("midenet-distilled", index.Find("midenet-pruned-int8-fx")!.BaselineReportName);
        Assert.Null(index.Find("erfnet-void-dequant"));

        var names = floats.Concat(index.Models.Select(m => m.ReportName)).Append("enet-seed-340-void").Reverse().ToList();
        var order = index.Order(names);
        Assert.Equal(names.Count, order.Count);
        foreach (var m in index.Models)
        {
            var at = order.ToList().IndexOf(m.ReportName);
            var baselineAt = order.ToList().IndexOf(m.BaselineReportName);
            Assert.True(at > baselineAt, $"{m.ReportName} at {at}, its baseline at {baselineAt}");
            Assert.All(order.Skip(baselineAt + 1).Take(at - baselineAt - 1), between => Assert.Equal(m.BaselineReportName, index.Find(between)?.BaselineReportName));
        }
    }

    [Fact]
    public void Plan_naming_two_compressed_models_by_the_same_file_name_is_refused()
    {
        var plan = new CompressionBenchPlan
        {
            Models =
            [
                new CompressionBenchEntry { Name = "float", Model = "models/mynet.onnx" },
                new CompressionBenchEntry { Name = "int8 a", Model = "a/mynet-int8.onnx", Baseline = "float", Kind = CompressionKind.Int8 },
                new CompressionBenchEntry { Name = "int8 b", Model = "b/mynet-int8.onnx", Baseline = "float", Kind = CompressionKind.Int8 },
            ],
        };

        var ex = Assert.Throws<InvalidDataException>(() => CompressedModelIndex.FromPlan(plan));

        Assert.Contains("int8 b", ex.Message, StringComparison.Ordinal);
        Assert.Contains("b/mynet-int8.onnx", ex.Message, StringComparison.Ordinal);
    }

    // Figures of one set (RoadObsticle21, 30 frames, 45 objects): found, false alerts, component sIoU / PPV / mean F1.
    private sealed record Figures(int Found, int FalseAlerts, double SIoU, double Ppv, double F1);

    private static class Baseline
    {
        public static readonly Figures CardDefault = new(2, 71, 1.4, 6.5, 1.0);
        public static readonly Figures Point = new(11, 11, 18.9, 43.3, 30.6);
    }

    private static class Int8
    {
        public static readonly Figures CardDefault = new(9, 120, 3.25, 4.04, 2.0);
        public static readonly Figures Point = new(8, 16, 15.0, 38.0, 24.56);
    }

    private static string Row(string config, string scorer, Figures b, Figures c) =>
        string.Create(C, $"| a-mynet-int8 | {config} | {scorer} | RoadObsticle21 | {b.Found}/45 → {c.Found}/45 | {b.FalseAlerts / 30.0:F2} → {c.FalseAlerts / 30.0:F2} | {b.SIoU:F1} → {c.SIoU:F1} | {b.Ppv:F1} → {c.Ppv:F1} | {b.F1:F1} → {c.F1:F1} |");

    private static string PerMinute(int hazards, int frames) => (hazards / (frames / 25.0 / 60.0)).ToString("F1", C);

    private static string Build(TempDirectory dir, CompressedModelIndex? compressed) =>
        AlertQualityDocument.Build(dir.Path, dir.File("no-operating-points"), dir.File("images"), "images", notes: null, compressed);

    private static string Section(string md, string heading)
    {
        var start = md.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{heading}' not in the document");
        var end = md.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? md[start..] : md[start..end];
    }

    private static TempDirectory Reports()
    {
        var dir = new TempDirectory();
        WritePixel(dir.File("mynet/pixel"), "mynet", auprc: 20.0, fpr95: 40.0, f1: 30.6);
        WritePixel(dir.File("a-mynet-int8/pixel"), "a-mynet-int8", auprc: 18.5, fpr95: 42.3, f1: 27.1);
        WritePixel(dir.File("other/pixel"), "other", auprc: 10, fpr95: 50, f1: 5);
        WriteHazards(dir.File("mynet/card-default+sets"), "VoidClass", 0.5, Baseline.CardDefault, videos: false);
        WriteHazards(dir.File("mynet/card-default+clips"), "VoidClass", 0.5, null, videos: true, raw: 43, confirmed: 6);
        WriteHazards(dir.File("mynet/operating-point+sets"), "VoidClass", 0.6143507957458496, Baseline.Point, videos: false);
        WriteHazards(dir.File("mynet/operating-point+clips"), "VoidClass", 0.6143507957458496, null, videos: true, raw: 0, confirmed: 0);
        WriteHazards(dir.File("a-mynet-int8/card-default+sets"), "VoidClass", 0.5, Int8.CardDefault, videos: false);
        WriteHazards(dir.File("a-mynet-int8/card-default+clips"), "VoidClass", 0.5, null, videos: true, raw: 50, confirmed: 7);
        WriteHazards(dir.File("a-mynet-int8/baseline-point+sets"), "VoidClass", 0.6143507957458496, Int8.Point, videos: false);
        WriteHazards(dir.File("a-mynet-int8/baseline-point+clips"), "VoidClass", 0.6143507957458496, null, videos: true, raw: 2, confirmed: 1);
        WriteHazards(dir.File("other/card-default+sets"), "MaxLogit", -3, Baseline.CardDefault, videos: false);
        WriteHazards(dir.File("other/card-default+clips"), "MaxLogit", -3, null, videos: true, raw: 1, confirmed: 0);
        return dir;
    }

    private static void WritePixel(string directory, string model, double auprc, double fpr95, double f1)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "results.csv"),
        [
            "model,dataset,method,temperature,auprc,fpr95,auroc,images,skipped,pixels,anomaly_pixels,distinct_scores,component_threshold,min_segment_px,min_object_px,siou_gt,ppv,f1_25,f1_50,f1_75,f1_mean",
            string.Create(C, $"{model},RoadObsticle21,VoidClass,1,{auprc},{fpr95},60,30,0,100,10,50,0.5,50,10,10,20,30,20,10,{f1}"),
        ]);
    }

    private static void WriteHazards(string directory, string scorer, double threshold, Figures? set, bool videos, int raw = 0, int confirmed = 0)
    {
        var times = new StepTimes { PreprocessMs = 2, InferenceMs = 100, ScoreMs = 10, ExtractMs = 5, TrackMs = 0.1 };
        var report = new HazardEvaluationReport
        {
            Model = Path.GetFileName(Path.GetDirectoryName(directory)!),
            ModelPath = "models/x.onnx",
            Provider = "cpu",
            Scorer = scorer,
            Temperature = 1,
            Threshold = threshold,
            ThresholdOrigin = "test",
            UsesOperatingPoint = false,
            Hazards = new JsonObject(),
            Tracking = new JsonObject(),
            StillRepeats = 1,
            Created = DateTimeOffset.UnixEpoch,
            Sets = set is null
                ? []
                :
                [
                    new HazardSetReport
                    {
                        Set = "RoadObsticle21", Frames = 30, Objects = 45, Found = set.Found, Alerts = set.FalseAlerts + 3, TrueAlerts = 3,
                        FalseAlerts = set.FalseAlerts, UnlabelledAlerts = 0, Times = times, FrameResults = [],
                        Component = new ComponentResult { Threshold = threshold, MinSegmentPixels = 50, MinObjectPixels = 10, SIoUGt = set.SIoU, Ppv = set.Ppv, F1Mean = set.F1 },
                    },
                ],
            Videos = videos
                ? [new HazardVideoReport { Video = "highway-vehicles.mp4", Frames = 38, Fps = 25, RawHazards = raw, ConfirmedHazards = confirmed, Times = times }]
                : [],
        };
        HazardReportWriter.Write(report, directory);
    }
}
