using System.Globalization;
using Edge.Runtime.Scoring;

namespace Host.Tools.Evaluation;

/// <summary>One anomaly score of an evaluation: method name (canonical) and temperature.</summary>
public sealed record ScoreSpec(string Method, double Temperature)
{
    public string Label => Temperature == 1.0 ? Method : string.Create(CultureInfo.InvariantCulture, $"{Method} T={Temperature:0.###}");

    public IAnomalyScorer CreateScorer(int voidIndex) =>
        AnomalyScorerFactory.Create(Method, new ScorerOptions { Temperature = Temperature, VoidIndex = voidIndex });

    /// <summary>Every method at T = 1, then the extra temperatures for the methods whose score depends on T.</summary>
    public static IReadOnlyList<ScoreSpec> Expand(IEnumerable<string> methods, IEnumerable<double> temperatures)
    {
        var canonical = methods.Select(AnomalyScorerFactory.CanonicalName).Distinct().ToList();
        var specs = canonical.Select(m => new ScoreSpec(m, 1.0)).ToList();
        foreach (var t in temperatures.Where(t => t != 1.0).Distinct())
        {
            specs.AddRange(canonical.Where(AnomalyScorerFactory.UsesTemperature).Select(m => new ScoreSpec(m, t)));
        }

        return specs;
    }
}
