using System.Text.Json.Nodes;
using Edge.Runtime.Models;
using Host.Tools.Calibration;
using Host.Tools.HazardEvaluation;
using Host.Tools.Tests.Evaluation;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Host.Tools.Tests.HazardEvaluation;

public sealed class OperatingPointCalibrationTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 32;
    private readonly TempFolder _temp = new();

    [Fact]
    public void Recall_objective_takes_the_fewest_false_alerts_among_candidates_reaching_the_recall()
    {
        var objective = new RecallAtFewestFalseAlertsObjective(0.5);
        var lowRecall = new[] { Figures(found: 4, alerts: 4, trueAlerts: 4) };      // recall 0.4, no false alert
        var noisy = new[] { Figures(found: 9, alerts: 30, trueAlerts: 10) };        // recall 0.9, 2 false / frame
        var quiet = new[] { Figures(found: 5, alerts: 8, trueAlerts: 5) };          // recall 0.5, 0.3 false / frame
        Assert.Null(objective.Value(lowRecall));
        Assert.True(objective.Better(quiet, noisy));
        Assert.True(objective.Better(noisy, lowRecall));
        Assert.False(objective.Better(lowRecall, quiet));
        // none eligible: the higher recall wins
        Assert.True(new RecallAtFewestFalseAlertsObjective(0.95).Better(noisy, quiet));
        Assert.Throws<ArgumentException>(() => new RecallAtFewestFalseAlertsObjective(0));
    }

    [Fact]
    public void Component_f1_objective_takes_the_highest_mean_f1_then_fewer_false_alerts()
    {
        var objective = new ComponentF1Objective();
        var a = new[] { Figures(found: 5, alerts: 8, trueAlerts: 5, f1: 40), Figures(found: 5, alerts: 8, trueAlerts: 5, f1: 20) };
        var b = new[] { Figures(found: 5, alerts: 8, trueAlerts: 5, f1: 35), Figures(found: 5, alerts: 8, trueAlerts: 5, f1: 20) };
        var c = new[] { Figures(found: 5, alerts: 6, trueAlerts: 5, f1: 40), Figures(found: 5, alerts: 6, trueAlerts: 5, f1: 20) };
        Assert.Equal(30, objective.Value(a)!.Value, 9);
        Assert.True(objective.Better(a, b));
        Assert.True(objective.Better(c, a));
    }

    [Fact]
    public void Chosen_operating_point_is_the_best_candidate_and_its_figures_match_evaluate_hazards()
    {
        var model = RedVoidModel.Write(_temp.Path, Height, Width);
        WriteSet("obstacles", withFalseBlock: true);
        WriteSet("obstacles-check", withFalseBlock: false);
        var config = _temp.Combine("config.json");
        File.WriteAllText(config, """{ "model": { "providers": ["cpu"], "threads": 1 }, "hazards": { "road_area": { "mode": "None" }, "open_kernel_px": 0, "close_kernel_px": 0, "min_area_px": 4 }, "tracking": { "confirm_frames": 2 } }""");
        var settings = new HazardCalibrationSettings
        {
            ModelPath = model,
            ConfigPath = config,
            DataPath = _temp.Path,
            ChooseOn = ["obstacles"],
            CheckOn = ["obstacles-check"],
            Scorers = ["VoidClass"],
            // variant 1 drops the 64-pixel blocks, keeping only the 128-pixel object: fewer objects found, no false alert
            Variants = [[], new JsonObject { ["min_area_px"] = 100 }],
            Quantiles = [0.5, 0.9],
            Objective = new ComponentF1Objective(),
        };

        var result = new HazardCalibrator(NullLoggerFactory.Instance).Run(settings, CancellationToken.None);

        Assert.Equal(4, result.Candidates.Count);
        var best = result.Candidates.MaxBy(c => c.Objective!.Value)!;
        var point = result.OperatingPoint;
        Assert.Equal(best.Objective, new ComponentF1Objective().Value(result.ChosenFigures));
        Assert.Equal(["obstacles"], point.ChosenOn);
        Assert.Equal("VoidClass", point.Scorer);
        Assert.Equal(["obstacles", "obstacles-check"], point.Figures.Select(f => f.Set));
        Assert.Equal("obstacles-check", Assert.Single(result.CheckFigures).Set);

        // the same operating point through the card and evaluate-hazards gives the same counts
        var card = ModelCard.Load(ModelCard.PathFor(model));
        (card with { OperatingPoint = point }).Save(ModelCard.PathFor(model));
        var evaluated = new HazardEvaluator(NullLoggerFactory.Instance).Run(
            new HazardEvaluationSettings { ModelPath = model, ConfigPath = null, Data = [_temp.Path], Sets = ["obstacles", "obstacles-check"] },
            CancellationToken.None);
        Assert.Equal("model card operating point", evaluated.ThresholdOrigin);
        foreach (var f in point.Figures)
        {
            var s = evaluated.Sets.Single(x => x.Set == f.Set);
            Assert.Equal((f.Objects, f.Found, f.Alerts, f.TrueAlerts, f.FalseAlerts), (s.Objects, s.Found, s.Alerts, s.TrueAlerts, s.FalseAlerts));
        }

        Assert.Throws<ArgumentException>(() => new HazardCalibrator(NullLoggerFactory.Instance).Run(settings with { CheckOn = ["obstacles"] }, CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();

    private static CandidateFigures Figures(int found, int alerts, int trueAlerts, double? f1 = null) => new()
    {
        Set = "s",
        Frames = 10,
        Objects = 10,
        Found = found,
        Alerts = alerts,
        TrueAlerts = trueAlerts,
        ComponentF1 = f1,
    };

    private void WriteSet(string name, bool withFalseBlock)
    {
        var root = _temp.Combine(name);
        Directory.CreateDirectory(Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "labels_masks"));
        using var image = new Mat(Height, Width, MatType.CV_8UC3, Scalar.All(128));
        using var mask = new Mat(Height, Width, MatType.CV_8UC1, Scalar.All(0));
        image[new Rect(4, 4, 16, 8)].SetTo(new Scalar(0, 0, 255));   // 128-pixel object, labelled
        mask[new Rect(4, 4, 16, 8)].SetTo(Scalar.All(1));
        image[new Rect(30, 4, 8, 8)].SetTo(new Scalar(0, 0, 255));   // 64-pixel object, labelled
        mask[new Rect(30, 4, 8, 8)].SetTo(Scalar.All(1));
        if (withFalseBlock)
        {
            image[new Rect(48, 20, 8, 8)].SetTo(new Scalar(0, 0, 255)); // 64 red pixels on a normal label: false alert
        }

        Cv2.ImWrite(Path.Combine(root, "images", "0.png"), image);
        Cv2.ImWrite(Path.Combine(root, "labels_masks", "0.png"), mask);
    }
}
