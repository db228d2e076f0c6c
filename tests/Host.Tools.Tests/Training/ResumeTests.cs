using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace Host.Tools.Tests.Training;

public sealed class ResumeTests
{
    [Fact]
    public void Resuming_from_an_epoch_checkpoint_ends_with_the_same_parameters_as_an_uninterrupted_run()
    {
        using var data = new SyntheticCamVid(images: 4, height: 32, width: 48);
        var train = TrainingDataset.CamVid(data.Root, "train");
        var val = TrainingDataset.CamVid(data.Root, "val");
        var root = Path.Combine(data.Root, "runs");
        TrainingSettings Settings(string dir) => new()
        {
            OutputDirectory = Path.Combine(root, dir), Epochs = 3, BatchSize = 2, InputHeight = 32, InputWidth = 48, LearningRate = 2e-3,
            Seed = 4, MaxValidationImages = 2,
        };

        var straight = Run(Settings("straight"), train, val);
        Run(Settings("resumed") with { StopAfterEpochs = 1 }, train, val);
        var firstLeg = Path.Combine(root, "resumed", "epoch-001.json");
        Assert.True(File.Exists(firstLeg));
        Assert.False(File.Exists(Path.Combine(root, "resumed", "epoch-002.json")));
        var resumed = Run(Settings("resumed") with { ResumeFrom = firstLeg }, train, val);

        var a = straight.Network.state_dict();
        var b = resumed.Network.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var key in a.Keys)
        {
            Assert.True(a[key].equal(b[key]).all().item<bool>(), $"{key} differs between the uninterrupted and the resumed run");
        }

        Assert.Equal(straight.Result.Steps, resumed.Result.Steps);
        Assert.Equal(straight.Result.History.Select(r => r.TrainLoss), resumed.Result.History.Select(r => r.TrainLoss));
        var info = CheckpointInfo.Load(Path.Combine(root, "resumed"));
        Assert.Equal(3, info.Epoch);
        Assert.Equal(3, info.History.Count);
        Assert.True(File.Exists(Path.Combine(root, "resumed", TrainingReportWriter.CsvName)));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(root, "resumed", TrainingReportWriter.CsvName)).Length);
        Assert.True(new FileInfo(Path.Combine(root, "resumed", TrainingReportWriter.LossPlotName)).Length > 1000);
        straight.Network.Dispose();
        resumed.Network.Dispose();
    }

    private static (SegmentationNetwork Network, TrainingResult Result) Run(TrainingSettings settings, TrainingDataset train, TrainingDataset val)
    {
        torch.random.manual_seed(99); // same initial weights for every run
        var network = NetworkFactory.Create("midenet", train.NumClasses);
        using var objective = new CrossEntropyObjective(new EnetClassWeighting().Compute(ClassFrequencies.Count(train)));
        var result = new Trainer(settings, network, objective, train, val, NullLogger.Instance).Run(new LogTrainingProgress(NullLogger.Instance));
        return (network, result);
    }
}
