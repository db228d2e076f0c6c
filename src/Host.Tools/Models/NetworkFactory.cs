using Host.Tools.Models.Enet;

namespace Host.Tools.Models;

/// <summary>Creates networks by architecture identifier.</summary>
public static class NetworkFactory
{
    private static readonly Dictionary<string, Func<int, SegmentationNetwork>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["enet-seed"] = n => new EnetSeed(n),
        ["enet-davidtvs"] = n => new EnetDavidtvs(n),
    };

    public static IReadOnlyCollection<string> Architectures => Factories.Keys;

    public static SegmentationNetwork Create(string architecture, int numClasses = 20) =>
        Factories.TryGetValue(architecture, out var make)
            ? make(numClasses)
            : throw new ArgumentException(
                $"Unknown architecture '{architecture}': expected one of {string.Join(", ", Factories.Keys)}.", nameof(architecture));
}
