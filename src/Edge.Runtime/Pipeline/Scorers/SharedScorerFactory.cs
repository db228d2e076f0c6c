using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Pipeline.Scorers;

/// <summary>
/// The runtime's scorers are exactly the evaluation's (<see cref="AnomalyScorerFactory"/>): the numbers a hazard
/// threshold was calibrated on are the numbers the vehicle computes.
/// </summary>
public sealed class SharedScorerFactory : IAnomalyScorerFactory
{
    private readonly SmlPostProcessing _sml;

    /// <param name="sml">Post-processing of the SML scorer (settings <c>hazards.sml</c>); null = none.</param>
    public SharedScorerFactory(SmlPostProcessing? sml = null) => _sml = sml ?? new SmlPostProcessing();

    public IReadOnlyList<string> Names => AnomalyScorerFactory.Names;

    public IAnomalyScorer Create(string name, ModelCard card, double temperature)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (!AnomalyScorerFactory.IsKnown(name))
        {
            throw new ArgumentException($"scoring.method: expected one of {string.Join(", ", Names)}, got '{name}'.");
        }

        var canonical = AnomalyScorerFactory.CanonicalName(name);
        if (canonical == nameof(ScoreKind.VoidClass) && card.VoidIndex is null)
        {
            throw new ArgumentException($"scoring.method: VoidClass needs a model with a void class, but model card '{card.Name}' has void_index null.");
        }

        return AnomalyScorerFactory.Create(canonical, new ScorerOptions
        {
            Temperature = temperature,
            VoidIndex = card.VoidIndex ?? CityscapesClasses.VoidIndex,
            Sml = card.Sml,
            SmlPostProcessing = _sml,
            MapHeight = card.Input?.Height ?? 0,
            MapWidth = card.Input?.Width ?? 0,
        });
    }
}
