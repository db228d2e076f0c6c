using Host.Tools.Calibration;
using Host.Tools.Metrics;

namespace Host.Tools.Tests.Training;

public sealed class ThresholdTargetTests
{
    // 10 anomaly pixels scored 0.1..1.0, 10 normal pixels scored 0.05..0.5 (step 0.05).
    private static ScoreDistribution Distribution()
    {
        var histogram = new ScoreHistogram();
        var scores = new List<float>();
        var labels = new List<byte>();
        for (var i = 1; i <= 10; i++)
        {
            scores.Add(i / 10f);
            labels.Add(1);
            scores.Add(i * 0.05f);
            labels.Add(0);
        }

        scores.Add(9f);
        labels.Add(255); // ignored
        histogram.Add(scores.ToArray(), labels.ToArray(), "synthetic");
        return histogram.ToDistribution();
    }

    [Fact]
    public void Tpr_target_picks_the_highest_threshold_reaching_it_and_reports_the_rates()
    {
        var choice = new TprTarget(0.8).Choose(Distribution());
        Assert.Equal(0.3, choice.Value, 5); // anomalies >= 0.3: 8 of 10
        Assert.Equal(0.8, choice.Tpr, 10);
        Assert.Equal(0.5, choice.Fpr, 10); // normals >= 0.3: 0.3, 0.35, 0.4, 0.45, 0.5
    }

    [Fact]
    public void Max_fpr_target_picks_the_lowest_threshold_within_it()
    {
        var choice = new MaxFprTarget(0.2).Choose(Distribution());
        Assert.Equal(0.45, choice.Value, 5); // normals >= 0.45: 0.45, 0.5 -> FPR 0.2
        Assert.Equal(0.2, choice.Fpr, 10);
        Assert.Equal(0.6, choice.Tpr, 10); // anomalies >= 0.45: 0.5..1.0
        var none = new MaxFprTarget(0).Choose(Distribution());
        Assert.Equal(0, none.Fpr);
        Assert.Equal(0.5, none.Tpr, 10); // 0.6..1.0 lie above every normal score
    }

    [Fact]
    public void Threshold_json_carries_value_method_target_rates_and_dataset()
    {
        var json = new CalibratedThreshold { Value = 0.25, Method = "MaxLogit", Target = "tpr>=0.95", Tpr = 0.95, Fpr = 0.3, Dataset = "fs_static" }.ToJson();
        Assert.Equal(0.25, json.GetProperty("value").GetDouble());
        Assert.Equal("MaxLogit", json.GetProperty("method").GetString());
        Assert.Equal("MaxLogit", json.GetProperty("score").GetString());
        Assert.Equal("tpr>=0.95", json.GetProperty("target").GetString());
        Assert.Equal("fs_static", json.GetProperty("dataset").GetString());
    }
}
