using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Pipeline.Scorers;

/// <summary>Creates the scorer named in settings (or the model card's default) for a model.</summary>
public interface IAnomalyScorerFactory
{
    /// <summary>Scorer names this factory knows.</summary>
    IReadOnlyList<string> Names { get; }

    /// <exception cref="ArgumentException">Unknown name, or the scorer does not fit the model (e.g. VoidClass without void_index).</exception>
    IAnomalyScorer Create(string name, ModelCard card, double temperature);
}
