using System.Text.Json.Nodes;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Host.Tools.Commands;
using Host.Tools.HazardEvaluation;
using Host.Tools.Tests.Evaluation;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Host.Tools.Tests.HazardEvaluation;

/// <summary>
/// evaluate-hazards end to end on sets drawn here: grey 64x32 frames with pure red blocks (the tiny model's void class)
/// and hand-made masks, so every alert box and every count is known in advance.
/// </summary>
public sealed class HazardEvaluatorTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 32;
    private static readonly Scalar Red = new(0, 0, 255);
    private readonly TempFolder _temp = new();
    private readonly ListLoggerProvider _log = new();
    private readonly ILoggerFactory _loggerFactory;

    public HazardEvaluatorTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Information));
    }

    [Fact]
    public void Counts_found_objects_true_and_false_alerts_of_known_boxes()
    {
        var model = RedVoidModel.Write(_temp.Path, Height, Width);
        var set = WriteSet();
        var report = new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(minAreaPx: 4), set), CancellationToken.None);

        var s = Assert.Single(report.Sets);
        Assert.Equal("obstacles", s.Set);
        Assert.Equal(2, s.Frames);
        Assert.Equal(["0.png", "1.png"], s.FrameResults.Select(f => f.Image));
        // frame 0: A found + true, B missed, C false (normal label), D false (ignore only), half of E found + true
        Assert.Equal((3, 2, 4, 2, 2, 1), Counts(s.FrameResults[0]));
        // frame 1: its mask is half size, resized nearest onto the block
        Assert.Equal((1, 1, 1, 1, 0, 0), Counts(s.FrameResults[1]));
        Assert.Equal((4, 3, 5, 3, 2, 1), (s.Objects, s.Found, s.Alerts, s.TrueAlerts, s.FalseAlerts, s.UnlabelledAlerts));
        Assert.Equal(1.0, s.FalseAlertsPerFrame, 9);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("1.png", StringComparison.Ordinal) && l.Message.Contains("resized", StringComparison.Ordinal));

        // component metrics of the same maps, by hand: sIoU A 1, B 0, E 50/100, frame 1 1; PPV A 1, C 0, E 1, frame 1 1
        // (D lies in the ignored region); tau <= 0.5: TP 3 FN 1 FP 1 -> 0.75, tau > 0.5: TP 2 FN 2 FP 1 -> 4/7
        var component = Assert.IsType<Host.Tools.Evaluation.Components.ComponentResult>(s.Component);
        Assert.Equal(62.5, component.SIoUGt!.Value, 6);
        Assert.Equal(75.0, component.Ppv!.Value, 6);
        Assert.Equal(100 * ((6 * 0.75) + (5 * 4.0 / 7)) / 11, component.F1Mean!.Value, 3); // reported to 4 decimals
        Assert.Equal(0.5, report.Threshold, 6);
        Assert.Equal("settings", report.ThresholdOrigin);
        Assert.True(s.Times.HazardPathMs > 0);

        var worst = s.Overlays.Select(o => Path.Combine(_temp.Path, "out", o)).ToList();
        Assert.Equal(["obstacles-worst-1-0.png"], worst.Select(Path.GetFileName));
        using var overlay = Cv2.ImRead(worst[0]);
        Assert.Equal((Width, Height), (overlay.Width, overlay.Height));
    }

    [Fact]
    public void Model_card_operating_point_is_the_default_and_explicit_settings_win()
    {
        var point = new OperatingPoint
        {
            Scorer = "VoidClass",
            Threshold = 0.5,
            Hazards = new JsonObject { ["min_area_px"] = 100 },
            Objective = "test",
            ChosenOn = ["obstacles"],
        };
        var model = RedVoidModel.Write(_temp.Path, Height, Width, point);
        var set = WriteSet();

        var byCard = new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(minAreaPx: null, threshold: null), set), CancellationToken.None);
        Assert.Equal("model card operating point", byCard.ThresholdOrigin);
        Assert.True(byCard.UsesOperatingPoint);
        Assert.Equal(100, byCard.Hazards["min_area_px"]!.GetValue<int>());
        Assert.Equal(0, byCard.Sets[0].Alerts); // every block is smaller than 100 pixels

        var explicitArea = new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(minAreaPx: 4, threshold: null), set), CancellationToken.None);
        Assert.Equal(4, explicitArea.Hazards["min_area_px"]!.GetValue<int>());
        Assert.Equal(5, explicitArea.Sets[0].Alerts);
        Assert.Equal("model card operating point", explicitArea.ThresholdOrigin);
    }

    [Fact]
    public void Clip_counts_hazards_the_tracker_confirms_per_minute()
    {
        var model = RedVoidModel.Write(_temp.Path, Height, Width);
        var clip = _temp.Combine("clip.avi");
        using (var writer = new VideoWriter(clip, FourCC.MJPG, 10, new Size(Width, Height)))
        {
            Assert.True(writer.IsOpened());
            for (var f = 0; f < 12; f++)
            {
                using var frame = Grey();
                if (f < 6)
                {
                    Block(frame, 8, 8, 16, 16); // seen 6 frames: confirmed once (confirm_frames 3)
                }

                if (f == 8)
                {
                    Block(frame, 40, 8, 16, 16); // one frame only: never confirmed
                }

                writer.Write(frame);
            }
        }

        var report = new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(minAreaPx: 4), clip), CancellationToken.None);
        var v = Assert.Single(report.Videos);
        Assert.Equal(12, v.Frames);
        Assert.Equal(10, v.Fps, 3);
        Assert.Equal(7, v.RawHazards);
        Assert.Equal(1, v.ConfirmedHazards);
        Assert.Equal(1 / (12 / 10.0 / 60), v.HazardsPerMinute, 6);
    }

    [Fact]
    public void Bad_inputs_are_errors_naming_the_file()
    {
        var model = RedVoidModel.Write(_temp.Path, Height, Width);
        var set = WriteSet();
        var bad = Path.Combine(set, "labels_masks", "0.png");
        using (var mask = new Mat(Height, Width, MatType.CV_8UC1, Scalar.All(7)))
        {
            Cv2.ImWrite(bad, mask);
        }

        var outside = Assert.Throws<InvalidDataException>(() => new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(4), set), CancellationToken.None));
        Assert.Contains(bad, outside.Message, StringComparison.Ordinal);
        Assert.Contains("7", outside.Message, StringComparison.Ordinal);

        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(Path.Combine(empty, "images"));
        Directory.CreateDirectory(Path.Combine(empty, "labels_masks"));
        var none = Assert.Throws<InvalidDataException>(() => new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(4), empty), CancellationToken.None));
        Assert.Contains(empty, none.Message, StringComparison.Ordinal);

        var clip = _temp.Combine("broken.mp4");
        File.WriteAllBytes(clip, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        var video = Assert.Throws<InvalidDataException>(() => new HazardEvaluator(_loggerFactory).Run(Settings(model, Config(4), clip), CancellationToken.None));
        Assert.Contains(clip, video.Message, StringComparison.Ordinal);

        // the command turns them into exit code 1 (unusable data) with the message
        var exit = new EvaluateHazardsCommand(_loggerFactory).Create().Parse(["--model", model, "--data", empty, "--out", _temp.Combine("cli")]).Invoke();
        Assert.Equal(ExitCodes.Failure, exit);
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _temp.Dispose();
    }

    private static (int, int, int, int, int, int) Counts(HazardFrameResult f) =>
        (f.Objects, f.Found, f.Alerts, f.TrueAlerts, f.FalseAlerts, f.UnlabelledAlerts);

    private HazardEvaluationSettings Settings(string model, string config, string data) => new()
    {
        ModelPath = model,
        ConfigPath = config,
        Data = [data],
        OverlayDirectory = _temp.Combine("out", "overlays"),
    };

    private string Config(int? minAreaPx, double? threshold = 0.5)
    {
        var hazards = new JsonObject { ["road_area"] = new JsonObject { ["mode"] = "None" }, ["open_kernel_px"] = 0, ["close_kernel_px"] = 0 };
        if (minAreaPx is { } area)
        {
            hazards["min_area_px"] = area;
        }

        var scoring = new JsonObject { ["method"] = "VoidClass" };
        if (threshold is { } t)
        {
            scoring["threshold"] = t;
        }

        var root = new JsonObject
        {
            ["model"] = new JsonObject { ["providers"] = new JsonArray("cpu"), ["threads"] = 1 },
            ["scoring"] = scoring,
            ["hazards"] = hazards,
            ["tracking"] = new JsonObject { ["confirm_frames"] = 3, ["end_after_missed_frames"] = 1 },
        };
        var path = _temp.Combine($"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private string WriteSet()
    {
        var root = _temp.Combine("obstacles");
        Directory.CreateDirectory(Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "labels_masks"));

        using (var image = Grey())
        using (var mask = new Mat(Height, Width, MatType.CV_8UC1, Scalar.All(0)))
        {
            Block(image, 4, 4, 8, 8);      // A, labelled
            Fill(mask, 4, 4, 8, 8, 1);
            Fill(mask, 20, 4, 8, 8, 1);    // B, labelled, not red: missed
            Block(image, 36, 4, 8, 8);     // C, red on a normal label: false
            Block(image, 50, 20, 8, 8);    // D, red on ignore: false (unlabelled)
            Fill(mask, 50, 20, 8, 8, 255);
            Fill(mask, 4, 20, 10, 10, 1);  // E, 100 pixels, half of them red: found, true
            Block(image, 4, 20, 5, 10);
            Cv2.ImWrite(Path.Combine(root, "images", "0.png"), image);
            Cv2.ImWrite(Path.Combine(root, "labels_masks", "0.png"), mask);
        }

        using (var image = Grey())
        using (var mask = new Mat(Height / 2, Width / 2, MatType.CV_8UC1, Scalar.All(0)))
        {
            Block(image, 8, 8, 8, 8);
            Fill(mask, 4, 4, 4, 4, 1);     // half-size mask: nearest resize puts it on the block
            Cv2.ImWrite(Path.Combine(root, "images", "1.png"), image);
            Cv2.ImWrite(Path.Combine(root, "labels_masks", "1.png"), mask);
        }

        return root;
    }

    private static Mat Grey() => new(Height, Width, MatType.CV_8UC3, Scalar.All(128));

    private static void Block(Mat image, int x, int y, int w, int h) => image[new Rect(x, y, w, h)].SetTo(Red);

    private static void Fill(Mat mask, int x, int y, int w, int h, byte value) => mask[new Rect(x, y, w, h)].SetTo(Scalar.All(value));
}
