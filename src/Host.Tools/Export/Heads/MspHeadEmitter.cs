using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>MSP as <c>MspScorer</c>: <c>1 − max_c softmax(l / T)_c = 1 − 1 / Σ_c exp(l_c / T − max)</c>, all channels.</summary>
public sealed class MspHeadEmitter : IScoreHeadEmitter
{
    public MspHeadEmitter(double temperature = 1.0)
    {
        Temperature = HeadArguments.CheckTemperature(temperature, nameof(MspHeadEmitter));
    }

    public ScoreKind Kind => ScoreKind.Msp;

    public double Temperature { get; }

    public string Emit(HeadGraph heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var g = heads.Builder;
        var terms = heads.Softmax((float)Temperature);
        var one = g.ScalarFloat("one", 1f);
        return g.Node("Sub", [one, g.Node("Div", [one, terms.Sum])]);
    }
}
