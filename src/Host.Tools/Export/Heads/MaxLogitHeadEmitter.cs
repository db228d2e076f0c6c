using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>MaxLogit as <c>MaxLogitScorer</c>: <c>−max_c l_c</c> over all channels, no temperature.</summary>
public sealed class MaxLogitHeadEmitter : IScoreHeadEmitter
{
    public ScoreKind Kind => ScoreKind.MaxLogit;

    public double Temperature => 1.0;

    public string Emit(HeadGraph heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        return heads.Builder.Node("Neg", [heads.ChannelMax()]);
    }
}
