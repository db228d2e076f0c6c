using Edge.Runtime.Models;
using Host.Tools.Export;
using Host.Tools.Export.Heads;
using Host.Tools.Models;
using Host.Tools.Tests.Support;
using static Host.Tools.Tests.Export.HeadsTestSupport;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Export;

/// <summary>
/// ENet, ERFNet and MiDE-Net (random weights, 64x128): the heads model's score equals the CPU scorer on the plain model's
/// logits for every scorer, and its road mask and labels equal the CPU argmax exactly.
/// </summary>
public sealed class NetworkHeadsParityTests
{
    private const int H = 64;
    private const int W = 128;

    public static TheoryData<string> Architectures => new() { "enet-seed", "erfnet-bnfolded", "midenet" };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Heads_model_equals_cpu_scoring_of_the_plain_model(string architecture)
    {
        manual_seed(21);
        using var net = NetworkFactory.Create(architecture, 20);
        Randomize.BatchNorms(net, 13);
        net.eval();
        using var image = rand(1, 3, H, W);
        var input = image.data<float>().ToArray();
        var plain = OnnxExporter.Build(net, H, W);
        var logits = OnnxTestRunner.Run(plain, input, [1, 3, H, W]);
        var labels = FirstArgmax(logits, 20);
        Assert.True(labels.Distinct().Count() > 1, $"{architecture}: the random network should predict more than one class");
        var roadClass = labels[0]; // a class that occurs, so the mask is not all zeros

        foreach (var (kind, temperature) in AllScorers(1.5))
        {
            var heads = new ModelHeads
            {
                Scorer = kind, Temperature = temperature, RoadClass = roadClass,
                Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput],
            };
            var model = ModelHeadsAppender.Append(plain, heads, CityscapesClasses.VoidIndex, Sml);
            var (score, road, graphLabels) = RunHeads(model, OnnxExporter.InputName, input, [1, 3, H, W], labels: true);
            AssertScoresEqual(CpuScore(kind, temperature, logits, 20), score, $"{architecture} {kind} T={temperature}");
            AssertRoadEqual(labels, road, roadClass, $"{architecture} {kind}");
            Assert.Equal(labels, graphLabels);
        }
    }
}
