using Host.Tools.Models;
using Host.Tools.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Training;

public sealed class OverfitTests
{
    [Theory]
    [InlineData("enet-seed")]
    [InlineData("enet-davidtvs")]
    [InlineData("erfnet")]
    [InlineData("midenet")]
    [InlineData("bisenetv1")]
    public void Every_architecture_overfits_one_batch(string architecture)
    {
        torch.random.manual_seed(7);
        using var network = NetworkFactory.Create(architecture, 4);
        network.train();
        const int h = 64, w = 64;
        var gen = new Generator(11);
        using var images = rand([2, 3, h, w], generator: gen);

        // Labels: a function of position and the image (so the batch is learnable), with ignored pixels.
        using var labels = (arange(w).expand(2, h, w) * 4 / w).to_type(ScalarType.Int64);
        using var ignore = images[.., 0] > 0.95f;
        labels.masked_fill_(ignore, TrainingDataset.IgnoreIndex);
        using var objective = new CrossEntropyObjective(null);
        using var optimizer = optim.Adam(network.parameters(), 5e-3);
        float first = 0, last = 0;
        for (var step = 0; step < 40; step++)
        {
            using var scope = NewDisposeScope();
            var loss = objective.Loss(network.call(images), images, labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.True(last <= 0.5f * first, $"{architecture}: loss {first:F4} -> {last:F4} after 40 steps, expected a fall of at least 50%");
    }
}
