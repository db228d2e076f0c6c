using System.Collections.Frozen;
using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>The score head for each <see cref="ScoreKind"/>, mirroring <c>AnomalyScorerFactory</c>.</summary>
public static class ScoreHeadEmitters
{
    private static readonly FrozenDictionary<ScoreKind, Func<HeadParameters, IScoreHeadEmitter>> ByKind =
        new Dictionary<ScoreKind, Func<HeadParameters, IScoreHeadEmitter>>
        {
            [ScoreKind.Msp] = p => new MspHeadEmitter(p.Temperature),
            [ScoreKind.MaxLogit] = p => p.Temperature == 1.0
                ? new MaxLogitHeadEmitter()
                : throw new ArgumentException($"heads: MaxLogit has no temperature, expected 1, got {p.Temperature}."),
            [ScoreKind.MaxEntropy] = p => new MaxEntropyHeadEmitter(p.Temperature),
            [ScoreKind.VoidClass] = p => new VoidClassHeadEmitter(
                p.VoidIndex ?? throw new ArgumentException("heads: VoidClass needs the model's void_index, got none."), p.Temperature),
            [ScoreKind.Energy] = p => new EnergyHeadEmitter(p.Temperature),
            [ScoreKind.Sml] = p => p.Temperature == 1.0
                ? new SmlHeadEmitter(p.Sml ?? throw new ArgumentException("heads: SML needs the card's sml statistics (edgeseg-tools calibrate-sml), got none."))
                : throw new ArgumentException($"heads: SML has no temperature, expected 1, got {p.Temperature}."),
        }.ToFrozenDictionary();

    public static IReadOnlyCollection<ScoreKind> Kinds => ByKind.Keys;

    /// <param name="voidIndex">The void channel (VoidClass only; the card's void_index).</param>
    /// <param name="sml">Per-class max-logit statistics (SML only; the card's sml).</param>
    public static IScoreHeadEmitter Create(ScoreKind kind, double temperature, int? voidIndex, SmlStatistics? sml = null) =>
        ByKind.TryGetValue(kind, out var create)
            ? create(new HeadParameters(temperature, voidIndex, sml))
            : throw new ArgumentException($"heads: no score head for {kind}; expected one of {string.Join(", ", ByKind.Keys)}.");

    private sealed record HeadParameters(double Temperature, int? VoidIndex, SmlStatistics? Sml);
}
