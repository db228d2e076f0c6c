using Host.Tools.HazardEvaluation;
using Host.Tools.Tests.Evaluation;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Host.Tools.Tests.HazardEvaluation;

public sealed class RealModelSmokeTests
{
    [Fact]
    public void Shipped_model_runs_the_hazard_path_on_two_obstacle_frames()
    {
        using var temp = new TempFolder();
        var source = TestPaths.Shared("data/Validation_Dataset/RoadObsticle21");
        var set = temp.Combine("RoadObsticle21");
        Directory.CreateDirectory(Path.Combine(set, "images"));
        Directory.CreateDirectory(Path.Combine(set, "labels_masks"));
        foreach (var name in new[] { "0", "1" })
        {
            File.Copy(Path.Combine(source, "images", name + ".webp"), Path.Combine(set, "images", name + ".webp"));
            File.Copy(Path.Combine(source, "labels_masks", name + ".png"), Path.Combine(set, "labels_masks", name + ".png"));
        }

        var report = new HazardEvaluator(NullLoggerFactory.Instance).Run(new HazardEvaluationSettings
        {
            ModelPath = Path.Combine(TestPaths.RepoRoot, "models", "enet-seed-560-void.onnx"),
            ConfigPath = Path.Combine(TestPaths.RepoRoot, "deploy", "edgeseg.sample-images.json"),
            Data = [set],
            OverlayDirectory = temp.Combine("out", "overlays"),
        }, CancellationToken.None);

        var s = Assert.Single(report.Sets);
        Assert.Equal(2, s.Frames);
        Assert.Equal(CountObjects(Path.Combine(set, "labels_masks", "0.png")) + CountObjects(Path.Combine(set, "labels_masks", "1.png")), s.Objects);
        Assert.Equal(s.Alerts, s.TrueAlerts + s.FalseAlerts);
        Assert.InRange(s.Found, 0, s.Objects);
        Assert.NotNull(s.Component);
        Assert.True(s.Times.InferenceMs > 0 && s.Times.HazardPathMs > 0);
        HazardReportWriter.Write(report, temp.Combine("out"));
        Assert.Equal(s.Alerts, HazardReportWriter.Read(temp.Combine("out", "results.json")).Sets[0].Alerts);
    }

    /// <summary>8-connected components of value-1 pixels by an independent flood fill.</summary>
    private static int CountObjects(string mask)
    {
        using var image = Cv2.ImRead(mask, ImreadModes.Unchanged);
        var (w, h) = (image.Width, image.Height);
        var seen = new bool[w * h];
        var count = 0;
        var stack = new Stack<int>();
        for (var start = 0; start < w * h; start++)
        {
            if (seen[start] || image.At<byte>(start / w, start % w) != 1)
            {
                continue;
            }

            count++;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                var (x, y) = (p % w, p / w);
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (nx, ny) = (x + dx, y + dy);
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h || seen[(ny * w) + nx] || image.At<byte>(ny, nx) != 1)
                        {
                            continue;
                        }

                        seen[(ny * w) + nx] = true;
                        stack.Push((ny * w) + nx);
                    }
                }
            }
        }

        return count;
    }
}
