using Host.Tools.Import;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.Import;

public sealed class NetworkImporterTests
{
    public static TheoryData<string, string, long> Checkpoints => new()
    {
        { "enet-seed", "weights/seed/pretrained/enet_560_epochs.pth", 0 },
        { "enet-seed", "weights/seed/finetuning/enet_560_epochs_finetuned.pth", 0 },
        { "enet-seed", "weights/seed/finetuning/enet_340_epochs_finetuned.pth", 0 },
        { "enet-davidtvs", "weights/enet-davidtvs/model_best.pth", 0 },
        { "midenet", "weights/seed/distillation/midenet_distilled.pth", 0 },
        { "erfnet-bnfolded", "weights/seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth", 0 },
        { "erfnet", "weights/romera-erfnet-int8/erfnet_quantized.pth", 0 },
    };

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Loads_every_shared_checkpoint_strictly(string architecture, string relativePath, long unused)
    {
        _ = unused;
        using var net = NetworkImporter.Load(architecture, TestPaths.Shared(relativePath));
        Assert.True(net.ParameterCount() > 0);
    }

    [Fact]
    public void Wrong_architecture_lists_missing_and_unexpected_keys_and_names_the_file()
    {
        var path = TestPaths.Shared("weights/seed/distillation/midenet_distilled.pth");
        var ex = Assert.Throws<StateDictMismatchException>(() => NetworkImporter.Load("enet-seed", path));
        Assert.Contains("midenet_distilled.pth", ex.Message);
        Assert.Contains("bottleneck1.0.match_channels.weight", ex.Message);
        Assert.Contains("fullconv.weight", ex.Message);
    }
}
