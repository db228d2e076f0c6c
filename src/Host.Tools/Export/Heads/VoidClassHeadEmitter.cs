using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>VoidClass as <c>VoidClassScorer</c>: <c>softmax(l / T)[void] = exp(l_void / T − max) / Σ_c exp(l_c / T − max)</c>.</summary>
public sealed class VoidClassHeadEmitter : IScoreHeadEmitter
{
    public VoidClassHeadEmitter(int voidIndex, double temperature = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(voidIndex);
        VoidIndex = voidIndex;
        Temperature = HeadArguments.CheckTemperature(temperature, nameof(VoidClassHeadEmitter));
    }

    public ScoreKind Kind => ScoreKind.VoidClass;

    public double Temperature { get; }

    public int VoidIndex { get; }

    public string Emit(HeadGraph heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (VoidIndex >= heads.Channels)
        {
            throw new ArgumentException($"VoidClass head: void index {VoidIndex} is not a channel of a {heads.Channels}-channel output (expected index < {heads.Channels}).");
        }

        var terms = heads.Softmax((float)Temperature);
        return heads.Builder.Node("Div", [terms.Exp[VoidIndex], terms.Sum]);
    }
}
