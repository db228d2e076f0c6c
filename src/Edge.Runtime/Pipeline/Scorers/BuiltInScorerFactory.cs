using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Pipeline.Scorers;

/// <summary>
/// The runtime's own minimal scorers (the model cards' defaults: VoidClass and MaxLogit), used until the shared
/// scorer set of <c>Edge.Runtime.Scoring</c> is composed in its place in <see cref="Hosting.RuntimeHost"/>.
/// </summary>
public sealed class BuiltInScorerFactory : IAnomalyScorerFactory
{
    public IReadOnlyList<string> Names { get; } = [nameof(ScoreKind.VoidClass), nameof(ScoreKind.MaxLogit)];

    public IAnomalyScorer Create(string name, ModelCard card, double temperature)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (string.Equals(name, nameof(ScoreKind.VoidClass), StringComparison.OrdinalIgnoreCase))
        {
            var voidIndex = card.VoidIndex ?? throw new ArgumentException($"scoring.method: VoidClass needs a model with a void class, but model card '{card.Name}' has void_index null.");
            return new VoidProbabilityScorer(voidIndex, temperature);
        }

        if (string.Equals(name, nameof(ScoreKind.MaxLogit), StringComparison.OrdinalIgnoreCase))
        {
            return new NegativeMaxLogitScorer(card.VoidIndex, temperature);
        }

        throw new ArgumentException($"scoring.method: expected one of {string.Join(", ", Names)}, got '{name}'.");
    }
}
