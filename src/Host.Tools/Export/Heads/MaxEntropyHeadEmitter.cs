using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>MaxEntropy as <c>MaxEntropyScorer</c>: <c>−Σ_c p_c · log(p_c + 1e-10)</c>, <c>p = softmax(l / T)</c>.</summary>
public sealed class MaxEntropyHeadEmitter : IScoreHeadEmitter
{
    private const float Epsilon = 1e-10f;

    public MaxEntropyHeadEmitter(double temperature = 1.0)
    {
        Temperature = HeadArguments.CheckTemperature(temperature, nameof(MaxEntropyHeadEmitter));
    }

    public ScoreKind Kind => ScoreKind.MaxEntropy;

    public double Temperature { get; }

    public string Emit(HeadGraph heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var g = heads.Builder;
        var terms = heads.Softmax((float)Temperature);
        var epsilon = g.ScalarFloat("epsilon", Epsilon);
        var products = terms.Exp.Select(e =>
        {
            var p = g.Node("Div", [e, terms.Sum]);
            return g.Node("Mul", [p, g.Node("Log", [g.Node("Add", [p, epsilon])])]);
        }).ToArray();
        var sum = heads.Sum(products);
        return g.Node("Neg", [sum]);
    }
}
