using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>Energy as <c>EnergyScorer</c>: <c>−T · (max + log Σ_c exp(l_c / T − max))</c>, max = max_c l_c / T.</summary>
public sealed class EnergyHeadEmitter : IScoreHeadEmitter
{
    public EnergyHeadEmitter(double temperature = 1.0)
    {
        Temperature = HeadArguments.CheckTemperature(temperature, nameof(EnergyHeadEmitter));
    }

    public ScoreKind Kind => ScoreKind.Energy;

    public double Temperature { get; }

    public string Emit(HeadGraph heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var g = heads.Builder;
        var terms = heads.Softmax((float)Temperature);
        var logSumExp = g.Node("Add", [g.Node("Log", [terms.Sum]), terms.Max]);
        return g.Node("Mul", [logSumExp, g.ScalarFloat("minus_temperature", -(float)Temperature)]);
    }
}
