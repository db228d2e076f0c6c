using Host.Tools.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Support;

/// <summary>Gives BatchNorm layers non-trivial statistics so that parity tests exercise them.</summary>
internal static class Randomize
{
    public static void BatchNorms(nn.Module module, int seed)
    {
        using var noGrad = no_grad();
        var gen = new Generator((ulong)seed);
        foreach (var (_, m) in module.named_modules())
        {
            if (m is BatchNorm2dLayer bn)
            {
                bn.RunningMean.copy_(randn(bn.Channels, generator: gen) * 0.1f);
                bn.RunningVar.copy_(rand(bn.Channels, generator: gen) + 0.5f);
                bn.Weight.copy_(rand(bn.Channels, generator: gen) + 0.5f);
                bn.Bias.copy_(randn(bn.Channels, generator: gen) * 0.1f);
            }
            else if (m is PReluLayer p)
            {
                p.Weight.copy_(rand(p.Weight.shape, generator: gen) * 0.5f);
            }
        }
    }
}
