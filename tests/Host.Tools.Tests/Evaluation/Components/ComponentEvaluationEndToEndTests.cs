using System.Text.Json;
using Edge.Runtime.Inference;
using Host.Tools.Commands;
using Host.Tools.Evaluation;
using Host.Tools.Preprocessing;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Evaluation.Components;

/// <summary>
/// <c>evaluate</c> on two RoadAnomaly21 images with enet-seed-560-void (built by `make models`): the <c>component</c>
/// object of every row against an independent recomputation written here (flood fill, the benchmark's set
/// formulas pixel by pixel, best-F1 threshold from sorted pixels).
/// </summary>
public sealed class ComponentEvaluationEndToEndTests
{
    private const int Width = 1024;
    private const int Height = 512;
    private static readonly string[] Images = ["0.png", "1.png"];

    private static string Model => Path.Combine(TestPaths.RepoRoot, "models", "enet-seed-560-void.onnx");

    private static string Source => TestPaths.Shared("data/Validation_Dataset/RoadAnomaly21");

    [Fact]
    public async Task Evaluate_rows_carry_component_metrics_equal_to_an_independent_recomputation()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("RoadAnomaly21", "images"));
        Directory.CreateDirectory(temp.Combine("RoadAnomaly21", "labels_masks"));
        foreach (var name in Images)
        {
            File.Copy(Path.Combine(Source, "images", name), temp.Combine("RoadAnomaly21", "images", name));
            File.Copy(Path.Combine(Source, "labels_masks", name), temp.Combine("RoadAnomaly21", "labels_masks", name));
        }

        var outDir = temp.Combine("report");
        var code = await Program.Main(["evaluate", "--model", Model, "--data", temp.Path, "--methods", "VoidClass,MaxLogit",
            "--component-threshold", "VoidClass=0.5", "--out", outDir]);
        Assert.Equal(0, code);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "results.json")));
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("method").GetString()!, r => r.GetProperty("component"));
        Assert.Equal(["VoidClass", "MaxLogit"], rows.Keys);
        foreach (var c in rows.Values)
        {
            Assert.Equal(
                ["threshold", "min_segment_px", "min_object_px", "siou_gt", "ppv", "f1_25", "f1_50", "f1_75", "f1_mean"],
                c.EnumerateObject().Select(p => p.Name));
            Assert.Equal(500, c.GetProperty("min_segment_px").GetInt32());
            Assert.Equal(100, c.GetProperty("min_object_px").GetInt32());
        }

        // Independent: the model's scores for both images, the mapped labels at the model size.
        var labels = Images.Select(n => LabelImage.Load(Path.Combine(Source, "labels_masks", n)).ResizeNearest(Width, Height, AnomalyDataset.CreateLabelMap("RoadAnomaly21"))).ToArray();
        var voidScores = new float[Images.Length][];
        var maxLogitScores = new float[Images.Length][];
        using (var session = SegmentationSession.Create(new() { ModelPath = Model }, NullLogger.Instance))
        {
            for (var i = 0; i < Images.Length; i++)
            {
                new PaperPreprocessor(Height, Width).Process(ImageLoader.Load(Path.Combine(Source, "images", Images[i])), session.InputBuffer);
                session.Run();
                voidScores[i] = new float[Width * Height];
                maxLogitScores[i] = new float[Width * Height];
                new ScoreSpec("VoidClass", 1).CreateScorer(19).Score(session.Logits, session.ClassCount, voidScores[i]);
                new ScoreSpec("MaxLogit", 1).CreateScorer(19).Score(session.Logits, session.ClassCount, maxLogitScores[i]);
            }
        }

        // VoidClass at the given 0.5 (score > 0.5).
        var voidRow = rows["VoidClass"];
        Assert.Equal(0.5, voidRow.GetProperty("threshold").GetDouble());
        AssertMatches(voidRow, Reference([.. Enumerable.Range(0, Images.Length).Select(i => Predict(voidScores[i], s => s > 0.5f))], labels));

        // MaxLogit at the best pixel F1: predicted = score >= v; the JSON threshold is v one ulp down (score > it).
        var best = BestF1Score(maxLogitScores, labels);
        var maxLogitRow = rows["MaxLogit"];
        Assert.Equal(MathF.BitDecrement(best), (float)maxLogitRow.GetProperty("threshold").GetDouble());
        AssertMatches(maxLogitRow, Reference([.. Enumerable.Range(0, Images.Length).Select(i => Predict(maxLogitScores[i], s => s >= best))], labels));

        // The document reads back (ReproductionDocument and compression reports deserialize rows).
        var back = doc.RootElement.GetProperty("results")[1].Deserialize<AnomalyResult>(EvaluationJson.Options)!;
        Assert.Equal(maxLogitRow.GetProperty("f1_mean").GetDouble(), back.Component!.F1Mean);
        Assert.Equal(maxLogitRow.GetProperty("threshold").GetDouble(), back.Component.Threshold);

        var markdown = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## Component metrics (SegmentMeIfYouCan)", markdown, StringComparison.Ordinal);
        Assert.Contains("siou_gt,ppv,f1_25,f1_50,f1_75,f1_mean", File.ReadAllText(Path.Combine(outDir, "results.csv")), StringComparison.Ordinal);
    }

    private static void AssertMatches(JsonElement row, (List<double> SIoU, List<double> Ppv) reference)
    {
        Assert.NotEmpty(reference.SIoU);
        Assert.Equal(reference.SIoU.Average() * 100, row.GetProperty("siou_gt").GetDouble(), 3);
        if (reference.Ppv.Count == 0)
        {
            Assert.Equal(JsonValueKind.Null, row.GetProperty("ppv").ValueKind);
        }
        else
        {
            Assert.Equal(reference.Ppv.Average() * 100, row.GetProperty("ppv").GetDouble(), 3);
        }

        var f1 = Enumerable.Range(0, 11).Select(k => 0.25 + (0.05 * k)).Select(t =>
        {
            double tp = reference.SIoU.Count(s => s >= t - 1e-12), fn = reference.SIoU.Count - tp, fp = reference.Ppv.Count(p => p < t - 1e-12);
            return 2 * tp / ((2 * tp) + fn + fp);
        }).ToArray();
        Assert.Equal(f1[0] * 100, row.GetProperty("f1_25").GetDouble(), 3);
        Assert.Equal(f1[5] * 100, row.GetProperty("f1_50").GetDouble(), 3);
        Assert.Equal(f1[10] * 100, row.GetProperty("f1_75").GetDouble(), 3);
        Assert.Equal(f1.Average() * 100, row.GetProperty("f1_mean").GetDouble(), 3);
    }

    private static bool[] Predict(float[] scores, Func<float, bool> predicted) => [.. scores.Select(predicted)];

    /// <summary>Highest score value v maximising pixel F1 when score ≥ v is predicted (label 255 excluded).</summary>
    private static float BestF1Score(float[][] scores, byte[][] labels)
    {
        var pairs = scores.SelectMany((s, i) => s.Select((v, j) => (Score: v, Label: labels[i][j]))).Where(p => p.Label != 255).OrderByDescending(p => p.Score).ToArray();
        double positives = pairs.Count(p => p.Label == 1), tp = 0, fp = 0, bestF1 = -1;
        var best = float.NaN;
        for (var k = 0; k < pairs.Length; k++)
        {
            if (pairs[k].Label == 1) { tp++; } else { fp++; }
            if (k + 1 < pairs.Length && pairs[k + 1].Score == pairs[k].Score)
            {
                continue;
            }

            var f1 = 2 * tp / ((2 * tp) + fp + (positives - tp));
            if (f1 > bestF1)
            {
                (bestF1, best) = (f1, pairs[k].Score);
            }
        }

        return best;
    }

    /// <summary>The benchmark's per-component values, literally: label components in the region of interest, segments restricted to it.</summary>
    private static (List<double> SIoU, List<double> Ppv) Reference(bool[][] predictions, byte[][] labels)
    {
        const int minSegment = 500, minObject = 100;
        var sious = new List<double>();
        var ppvs = new List<double>();
        for (var n = 0; n < labels.Length; n++)
        {
            var label = labels[n];
            var (segment, segmentSizes) = Flood(i => predictions[n][i] && label[i] != 255);
            var (instance, instanceSizes) = Flood(i => label[i] == 1);
            var roi = new List<int>();
            for (var i = 0; i < label.Length; i++)
            {
                if (segment[i] > 0 && segmentSizes[segment[i]] < minSegment)
                {
                    segment[i] = 0;
                }

                var tinyObject = instance[i] > 0 && instanceSizes[instance[i]] < minObject;
                if (label[i] != 255 && !tinyObject)
                {
                    roi.Add(i);
                }
            }

            foreach (var g in roi.Select(i => instance[i]).Where(g => g > 0).Distinct())
            {
                var touching = roi.Where(i => instance[i] == g && segment[i] > 0).Select(i => segment[i]).ToHashSet();
                double intersection = roi.Count(i => instance[i] == g && touching.Contains(segment[i]));
                double adjustment = roi.Count(i => instance[i] != 0 && instance[i] != g && touching.Contains(segment[i]));
                double union = roi.Count(i => touching.Contains(segment[i])) + roi.Count(i => instance[i] == g) - intersection - adjustment;
                sious.Add(intersection / union);
            }

            foreach (var p in roi.Select(i => segment[i]).Where(p => p > 0).Distinct())
            {
                var size = roi.Count(i => segment[i] == p);
                ppvs.Add(roi.Count(i => segment[i] == p && instance[i] > 0) / (double)size);
            }
        }

        return (sious, ppvs);
    }

    /// <summary>8-connected components by breadth-first flood fill: component id per pixel (0 = off) and sizes by id.</summary>
    private static (int[] Ids, List<int> Sizes) Flood(Func<int, bool> on)
    {
        var ids = new int[Width * Height];
        var sizes = new List<int> { 0 };
        var queue = new Queue<int>();
        for (var start = 0; start < ids.Length; start++)
        {
            if (ids[start] != 0 || !on(start))
            {
                continue;
            }

            var id = sizes.Count;
            var size = 0;
            ids[start] = id;
            queue.Enqueue(start);
            while (queue.TryDequeue(out var i))
            {
                size++;
                int x = i % Width, y = i / Width;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= Width || ny >= Height)
                        {
                            continue;
                        }

                        var j = (ny * Width) + nx;
                        if (ids[j] == 0 && on(j))
                        {
                            ids[j] = id;
                            queue.Enqueue(j);
                        }
                    }
                }
            }

            sizes.Add(size);
        }

        return (ids, sizes);
    }
}
