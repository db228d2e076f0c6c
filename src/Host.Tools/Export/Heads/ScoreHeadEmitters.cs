using System.Collections.Frozen;
using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>The score head for each <see cref="ScoreKind"/>, mirroring <c>AnomalyScorerFactory</c>.</summary>
public static class ScoreHeadEmitters
{
    private static readonly FrozenDictionary<ScoreKind, Func<double, int, IScoreHeadEmitter>> ByKind =
        new Dictionary<ScoreKind, Func<double, int, IScoreHeadEmitter>>
        {
            [ScoreKind.Msp] = (t, _) => new MspHeadEmitter(t),
            [ScoreKind.MaxLogit] = (t, _) => t == 1.0
                ? new MaxLogitHeadEmitter()
                : throw new ArgumentException($"heads: MaxLogit has no temperature, expected 1, got {t}."),
            [ScoreKind.MaxEntropy] = (t, _) => new MaxEntropyHeadEmitter(t),
            [ScoreKind.VoidClass] = (t, v) => new VoidClassHeadEmitter(v, t),
            [ScoreKind.Energy] = (t, _) => new EnergyHeadEmitter(t),
        }.ToFrozenDictionary();

    public static IReadOnlyCollection<ScoreKind> Kinds => ByKind.Keys;

    /// <param name="voidIndex">The void channel (VoidClass only; the card's void_index).</param>
    public static IScoreHeadEmitter Create(ScoreKind kind, double temperature, int? voidIndex)
    {
        if (!ByKind.TryGetValue(kind, out var create))
        {
            throw new ArgumentException($"heads: no score head for {kind}; expected one of {string.Join(", ", ByKind.Keys)}.");
        }

        if (kind == ScoreKind.VoidClass && voidIndex is null)
        {
            throw new ArgumentException("heads: VoidClass needs the model's void_index, got none.");
        }

        return create(temperature, voidIndex ?? CityscapesClasses.VoidIndex);
    }
}
