using System.Text.Json;
using Host.Tools.Commands;
using Host.Tools.Evaluation;
using Host.Tools.Metrics;
using Host.Tools.Preprocessing;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Evaluation;

/// <summary>Runs the real pipeline on two RoadAnomaly21 images with enet-seed-560-void (built by `make models`).</summary>
public sealed class EvaluationEndToEndTests
{
    private static string Model => Path.Combine(TestPaths.RepoRoot, "models", "enet-seed-560-void.onnx");

    private static string Source => TestPaths.Shared("data/Validation_Dataset/RoadAnomaly21");

    private static TempFolder TwoImageDataset()
    {
        var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("RoadAnomaly21", "images"));
        Directory.CreateDirectory(temp.Combine("RoadAnomaly21", "labels_masks"));
        foreach (var name in new[] { "0.png", "1.png" })
        {
            File.Copy(Path.Combine(Source, "images", name), temp.Combine("RoadAnomaly21", "images", name));
            File.Copy(Path.Combine(Source, "labels_masks", name), temp.Combine("RoadAnomaly21", "labels_masks", name));
        }

        return temp;
    }

    /// <summary>Counted pixels, from the mask with an independent nearest-index formula (Pillow: int((i + 0.5) * scale)).</summary>
    private static (long Pixels, long Anomalies) CountPixels(string mask, int width, int height)
    {
        var label = LabelImage.Load(mask);
        long pixels = 0, anomalies = 0;
        for (var y = 0; y < height; y++)
        {
            var sy = (int)((y + 0.5) * ((double)label.Height / height));
            for (var x = 0; x < width; x++)
            {
                var sx = (int)((x + 0.5) * ((double)label.Width / width));
                var v = label.Pixels[(sy * label.Width) + sx];
                if (v is 0 or 1 or 2)
                {
                    pixels++;
                    anomalies += v is 1 or 2 ? 1 : 0;
                }
            }
        }

        return (pixels, anomalies);
    }

    [Fact]
    public async Task Evaluate_writes_results_json_with_the_documented_schema()
    {
        using var temp = TwoImageDataset();
        var outDir = temp.Combine("report");
        var code = await Program.Main(["evaluate", "--model", Model, "--data", temp.Path, "--methods", "VoidClass,MSP,MaxLogit",
            "--temperature", "0.5", "--out", outDir, "--overlays", "1"]);
        Assert.Equal(0, code);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "results.json")));
        var root = doc.RootElement;
        Assert.Equal("enet-seed-560-void", root.GetProperty("model").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["VoidClass/1", "MSP/1", "MaxLogit/1", "MSP/0.5"], results.Select(r => $"{r.GetProperty("method").GetString()}/{r.GetProperty("temperature").GetDouble()}"));
        var (p0, a0) = CountPixels(Path.Combine(Source, "labels_masks", "0.png"), 1024, 512);
        var (p1, a1) = CountPixels(Path.Combine(Source, "labels_masks", "1.png"), 1024, 512);
        foreach (var r in results)
        {
            Assert.Equal("RoadAnomaly21", r.GetProperty("dataset").GetString());
            Assert.Equal(2, r.GetProperty("images").GetInt32());
            Assert.Equal(0, r.GetProperty("skipped").GetInt32());
            Assert.Equal(p0 + p1, r.GetProperty("pixels").GetInt64());
            Assert.Equal(a0 + a1, r.GetProperty("anomaly_pixels").GetInt64());
            foreach (var metric in new[] { "auprc", "fpr95", "auroc" })
            {
                var v = r.GetProperty(metric).GetDouble();
                Assert.InRange(v, 0, 100);
            }
        }

        Assert.True(File.Exists(Path.Combine(outDir, "results.csv")));
        Assert.Contains("## Timing and memory", File.ReadAllText(Path.Combine(outDir, "report.md")), StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(outDir, "curves", "RoadAnomaly21-pr.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(outDir, "curves", "RoadAnomaly21-roc.png")).Length > 1000);
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "overlays"), "*.png"));
    }

    [Fact]
    public void Pooled_metrics_equal_a_sort_based_computation_on_the_same_scores()
    {
        using var temp = TwoImageDataset();
        var report = new AnomalyEvaluator(NullLoggerFactory.Instance).Run(
            new AnomalyEvaluationSettings { ModelPath = Model, DataPath = temp.Path, Methods = ["MaxLogit"] }, CancellationToken.None);

        // Independent: run the model ourselves, keep every (score, label) pair, sort, sklearn formulas.
        using var session = Edge.Runtime.Inference.SegmentationSession.Create(new() { ModelPath = Model }, NullLogger.Instance);
        var scores = new List<float>();
        var labels = new List<byte>();
        foreach (var name in new[] { "0.png", "1.png" })
        {
            new PaperPreprocessor(512, 1024).Process(ImageLoader.Load(Path.Combine(Source, "images", name)), session.InputBuffer);
            session.Run();
            var logits = session.Logits;
            var label = LabelImage.Load(Path.Combine(Source, "labels_masks", name)).ResizeNearest(1024, 512, AnomalyDataset.CreateLabelMap("RoadAnomaly21"));
            for (var i = 0; i < 512 * 1024; i++)
            {
                var max = float.NegativeInfinity;
                for (var c = 0; c < session.ClassCount; c++)
                {
                    max = Math.Max(max, logits[(c * 512 * 1024) + i]);
                }

                scores.Add(-max);
                labels.Add(label[i]);
            }
        }

        var expected = SortBased(scores.ToArray(), labels.ToArray());
        var ours = report.Results.Single();
        Assert.Equal(expected.Ap * 100, ours.Auprc!.Value, 3);
        Assert.Equal(expected.Fpr95 * 100, ours.Fpr95!.Value, 3);
    }

    private static (double Ap, double Fpr95) SortBased(float[] scores, byte[] labels)
    {
        var idx = Enumerable.Range(0, scores.Length).Where(i => labels[i] <= 1).OrderByDescending(i => scores[i]).ToArray();
        double p = idx.Count(i => labels[i] == 1), n = idx.Length - p, tp = 0, fp = 0, ap = 0, prevTp = 0;
        double prevTpr = 0, prevFpr = 0, fpr95 = double.NaN;
        for (var k = 0; k < idx.Length; k++)
        {
            if (labels[idx[k]] == 1) { tp++; } else { fp++; }
            if (k < idx.Length - 1 && scores[idx[k + 1]] == scores[idx[k]])
            {
                continue;
            }

            ap += ((tp - prevTp) / p) * (tp / (tp + fp));
            prevTp = tp;
            double tpr = tp / p, fpr = fp / n;
            if (double.IsNaN(fpr95) && tpr > 0.95)
            {
                fpr95 = prevFpr + ((fpr - prevFpr) * (0.95 - prevTpr) / (tpr - prevTpr));
            }

            prevTpr = tpr;
            prevFpr = fpr;
        }

        return (ap, fpr95);
    }

    [Fact]
    public void Image_mask_size_mismatch_and_unreadable_image_are_errors_naming_the_file()
    {
        using var temp = TwoImageDataset();
        DatasetTests.WriteGray(temp.Combine("RoadAnomaly21", "labels_masks", "0.png"), 64, 32, 0);
        var settings = new AnomalyEvaluationSettings { ModelPath = Model, DataPath = temp.Path, Methods = ["MaxLogit"] };
        var mismatch = Assert.Throws<InvalidDataException>(() => new AnomalyEvaluator(NullLoggerFactory.Instance).Run(settings, CancellationToken.None));
        Assert.Contains(Path.Combine("labels_masks", "0.png"), mismatch.Message, StringComparison.Ordinal);

        File.WriteAllBytes(temp.Combine("RoadAnomaly21", "images", "0.png"), [1, 2, 3, 4, 5]);
        var unreadable = Assert.Throws<InvalidDataException>(() => new AnomalyEvaluator(NullLoggerFactory.Instance).Run(settings, CancellationToken.None));
        Assert.Contains(Path.Combine("images", "0.png"), unreadable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fpr95_option_parses_both_conventions_and_rejects_others()
    {
        Assert.Equal(Fpr95Convention.First, EvaluateCommand.ParseConvention("first"));
        Assert.Equal(Fpr95Convention.Interpolated, EvaluateCommand.ParseConvention("Interpolated"));
        Assert.Throws<ArgumentException>(() => EvaluateCommand.ParseConvention("median"));
    }

    [Fact]
    public void Miou_of_the_davidtvs_enet_on_one_cityscapes_frame_is_plausible()
    {
        using var temp = new TempFolder();
        var src = TestPaths.Shared("data/cityscapes-sample");
        const string stem = "aachen_000000_000019";
        Directory.CreateDirectory(temp.Combine("leftImg8bit", "val", "aachen"));
        Directory.CreateDirectory(temp.Combine("gtFine", "val", "aachen"));
        File.Copy(Path.Combine(src, "leftImg8bit/train/aachen", stem + "_leftImg8bit.png"), temp.Combine("leftImg8bit", "val", "aachen", stem + "_leftImg8bit.png"));
        File.Copy(Path.Combine(src, "gtFine/train/aachen", stem + "_gtFine_labelIds.png"), temp.Combine("gtFine", "val", "aachen", stem + "_gtFine_labelIds.png"));
        var model = Path.Combine(TestPaths.RepoRoot, "models", "enet-davidtvs.onnx");
        var result = new MiouCommand(NullLoggerFactory.Instance).Run(model, temp.Path, "cityscapes", null, ["cpu"], CancellationToken.None);
        Assert.Equal(1, result.Images);
        Assert.Equal(19, result.PerClass.Count);
        Assert.True(result.PerClass["road"] > 80, $"road IoU {result.PerClass["road"]}");
        Assert.InRange(result.Miou!.Value, 20, 100);
    }
}
