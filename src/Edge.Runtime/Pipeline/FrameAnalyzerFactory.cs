using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Pipeline;

/// <summary>
/// Picks the inference stage for a session: the graph's own score and road mask when the model has heads
/// (<see cref="HeadsFrameAnalyzer"/>), CPU scoring of the logits otherwise (<see cref="OnnxFrameAnalyzer"/>).
/// </summary>
public static class FrameAnalyzerFactory
{
    /// <param name="scorer">The scorer the settings resolved; a heads model must compute exactly this one.</param>
    /// <exception cref="ArgumentException">The card and the graph disagree about heads, or the heads compute another
    /// scorer, temperature or road class than the settings ask for (the message names the setting).</exception>
    /// <param name="smlPostProcessing">SML post-processing in force (settings <c>hazards.sml</c>): the graph's SML head has none.</param>
    /// <param name="labels">The hazard path needs every pixel's argmax class (<c>hazards.known_objects</c>).</param>
    public static IFrameAnalyzer Create(SegmentationSession session, ModelCard card, IAnomalyScorer scorer, int roadClass, SmlPostProcessing? smlPostProcessing = null, bool labels = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(scorer);
        if (!session.HasHeads)
        {
            if (card.Heads is not null)
            {
                throw new ArgumentException($"Model card '{card.Name}' records heads but the graph '{session.ModelPath}' outputs logits: the card does not belong to this model.");
            }

            return new OnnxFrameAnalyzer(session, scorer, roadClass, labels);
        }

        var heads = card.Heads
            ?? throw new ArgumentException($"Model '{session.ModelPath}' outputs score and road but its card '{card.Name}' has no heads record: re-export it (edgeseg-tools build-models).");
        if (heads.Conflict(scorer.Name, scorer.Temperature, labels) is { } conflict)
        {
            throw new ArgumentException($"{conflict} (model '{card.Name}').");
        }

        if (heads.RoadClass != roadClass)
        {
            throw new ArgumentException($"hazards.road_area.road_class: model '{card.Name}' computes its road mask for class {heads.RoadClass}, got {roadClass}.");
        }

        if (heads.Scorer == ScoreKind.Sml && smlPostProcessing is { BoundarySuppression: true } or { DilatedSmoothing: true })
        {
            throw new ArgumentException($"hazards.sml: model '{card.Name}' computes SML without boundary suppression or dilated smoothing in its graph; post-processing needs the plain model (CPU scoring).");
        }

        return new HeadsFrameAnalyzer(session, labels);
    }
}
