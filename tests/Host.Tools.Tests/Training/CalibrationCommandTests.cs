using System.CommandLine;
using Edge.Runtime.Models;
using Host.Tools.Commands;
using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Scalar = OpenCvSharp.Scalar;
using TorchSharp;

namespace Host.Tools.Tests.Training;

public sealed class CalibrationCommandTests
{
    [Fact]
    public void Calibrate_commands_write_temperature_and_threshold_into_the_model_card()
    {
        using var data = new SyntheticCamVid(images: 3, height: 32, width: 48);
        var onnx = Path.Combine(data.Root, "model", "tiny.onnx");
        torch.random.manual_seed(2);
        using (var network = NetworkFactory.Create("midenet", 11))
        {
            var weights = Path.Combine(data.Root, "tiny.weights");
            network.save(weights);
            TrainedModelExporter.Export(network, weights, TrainingDataset.CamVid(data.Root, "train").Classes, ScoreKind.MaxLogit, onnx, 32, 48,
                NullLogger.Instance);
        }

        var temperature = new CalibrateTemperatureCommand(NullLoggerFactory.Instance).Create();
        Assert.Equal(0, temperature.Parse(["--model", onnx, "--data", data.Root, "--format", "camvid", "--split", "val", "--stride", "1"]).Invoke());
        var card = ModelCard.Load(ModelCard.PathFor(onnx));
        Assert.NotNull(card.Temperature);
        Assert.InRange(card.Temperature!.Value, 0.05, 20);

        // Anomaly set: the "anomaly" is the right-hand region of each synthetic image.
        var anomaly = Path.Combine(data.Root, "anomaly");
        Directory.CreateDirectory(Path.Combine(anomaly, "images"));
        Directory.CreateDirectory(Path.Combine(anomaly, "labels_masks"));
        foreach (var image in Directory.GetFiles(Path.Combine(data.Root, "val")))
        {
            File.Copy(image, Path.Combine(anomaly, "images", Path.GetFileName(image)));
            using var mask = new Mat(32, 48, MatType.CV_8UC1, Scalar.All(0));
            mask[new Rect(30, 10, 18, 22)].SetTo(Scalar.All(1));
            mask[new Rect(0, 0, 4, 4)].SetTo(Scalar.All(255));
            Cv2.ImWrite(Path.Combine(anomaly, "labels_masks", Path.GetFileName(image)), mask);
        }

        var threshold = new CalibrateThresholdCommand(NullLoggerFactory.Instance).Create();
        Assert.Equal(0, threshold.Parse(["--model", onnx, "--data", anomaly, "--method", "MSP", "--target-tpr", "0.9"]).Invoke());
        card = ModelCard.Load(ModelCard.PathFor(onnx));
        var t = card.Threshold!.Value;
        Assert.Equal("MSP", t.GetProperty("method").GetString());
        Assert.Equal("tpr>=0.9", t.GetProperty("target").GetString());
        Assert.Equal("anomaly", t.GetProperty("dataset").GetString());
        Assert.True(t.GetProperty("tpr").GetDouble() >= 0.9);
        Assert.InRange(t.GetProperty("fpr").GetDouble(), 0, 1);
        Assert.Equal(card.Temperature!.Value, t.GetProperty("temperature").GetDouble(), 6);
        Assert.Equal(card.Temperature, ModelCard.Load(ModelCard.PathFor(onnx)).Temperature); // temperature kept
        Assert.Equal("MSP", t.GetProperty("score").GetString()); // what the runtime's threshold resolution matches
    }
}
