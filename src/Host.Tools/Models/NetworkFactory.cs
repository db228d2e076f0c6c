using Host.Tools.Models.BiSeNet;
using Host.Tools.Models.Enet;
using Host.Tools.Models.Erfnet;
using Host.Tools.Models.MideNet;

namespace Host.Tools.Models;

/// <summary>Creates networks by architecture identifier.</summary>
public static class NetworkFactory
{
    private static readonly Dictionary<string, Func<int, SegmentationNetwork>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["enet-seed"] = n => new EnetSeed(n),
        ["enet-davidtvs"] = n => new EnetDavidtvs(n),
        ["erfnet"] = n => new Erfnet.Erfnet(n),
        ["erfnet-bnfolded"] = n => new Erfnet.Erfnet(n, foldedBatchNorm: true),
        ["midenet"] = n => new MideNet.MideNet(n),
        ["midenet-bnfolded"] = n => new MideNet.MideNet(n, foldedBatchNorm: true),
        ["bisenetv1"] = n => new BiSeNetV1(n),
    };

    public static IReadOnlyCollection<string> Architectures => Factories.Keys;

    public static SegmentationNetwork Create(string architecture, int numClasses = 20) =>
        Factories.TryGetValue(architecture, out var make)
            ? make(numClasses)
            : throw new ArgumentException(
                $"Unknown architecture '{architecture}': expected one of {string.Join(", ", Factories.Keys)}.", nameof(architecture));
}
