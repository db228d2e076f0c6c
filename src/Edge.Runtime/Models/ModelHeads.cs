using System.Globalization;
using System.Text.Json.Serialization;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Models;

/// <summary>
/// The heads appended to a model's graph (card field <c>heads</c>): the anomaly scorer and road mask the network computes
/// itself, so that its outputs are <c>score</c> float32 [1,1,H,W] and <c>road</c> uint8 [1,1,H,W] (1 where the first
/// maximum of the logits is the road class, else 0), optionally <c>labels</c> uint8 [1,1,H,W] (the argmax class), instead
/// of the logits. Null on a plain model (output <c>logits</c>).
/// </summary>
public sealed record ModelHeads
{
    public const string ScoreOutput = "score";
    public const string RoadOutput = "road";
    public const string LabelsOutput = "labels";

    /// <summary>The scorer the <c>score</c> output computes (the runtime's definition, higher = more anomalous).</summary>
    public required ScoreKind Scorer { get; init; }

    /// <summary>Logit temperature of the scorer (1 for MaxLogit, which has none).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>The class whose argmax pixels form the <c>road</c> mask (Cityscapes trainId 0).</summary>
    public int RoadClass { get; init; }

    /// <summary>The graph's outputs, in order: <c>score</c>, <c>road</c>, and optionally <c>labels</c>.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [ScoreOutput, RoadOutput];

    [JsonIgnore]
    public bool HasLabels => Outputs?.Contains(LabelsOutput, StringComparer.Ordinal) == true;

    /// <summary>
    /// Why these heads cannot serve a run that scores <paramref name="scorer"/> at <paramref name="temperature"/> (and
    /// needs the argmax labels on the CPU when <paramref name="labels"/>), as "setting: reason"; null when they can. The
    /// one rule for <c>edgeseg run</c> at start and for <c>apply-operating-points</c> before it writes a card.
    /// </summary>
    public string? Conflict(string scorer, double temperature, bool labels)
    {
        var wanted = AnomalyScorerFactory.CanonicalName(scorer);
        if (AnomalyScorerFactory.CanonicalName(Scorer.ToString()) != wanted)
        {
            return $"scoring.method: the graph computes {Scorer}, got '{wanted}' (use the plain model to score {wanted} on the CPU, or rebuild the heads)";
        }

        if (Math.Abs(Temperature - temperature) > 1e-12)
        {
            return string.Create(CultureInfo.InvariantCulture, $"scoring.temperature: the graph computes {Scorer} at T = {Temperature}, got T = {temperature}");
        }

        if (labels && !HasLabels)
        {
            return "hazards.known_objects: the heads output no labels, so the argmax classes never reach the CPU; use a heads model with labels (edgeseg-tools build-models writes them; export --heads --heads-labels) or the plain model";
        }

        return null;
    }

    /// <summary>Rule violations, each naming the field (<c>heads.…</c>) with expected vs actual; empty when valid.</summary>
    public IReadOnlyList<string> Validate(int classCount, int? voidIndex)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Scorer))
        {
            errors.Add($"heads.scorer: expected one of {string.Join(", ", Enum.GetNames<ScoreKind>())}, got {Scorer}");
        }

        if (!(Temperature > 0 && double.IsFinite(Temperature)))
        {
            errors.Add($"heads.temperature: expected a finite value > 0, got {Temperature}");
        }

        if (Scorer is ScoreKind.MaxLogit or ScoreKind.Sml && Temperature != 1.0)
        {
            errors.Add($"heads.temperature: {Scorer} has no temperature, expected 1, got {Temperature}");
        }

        if (Scorer == ScoreKind.VoidClass && voidIndex is null)
        {
            errors.Add("heads.scorer: VoidClass needs void_index, got void_index null");
        }

        if (RoadClass < 0 || RoadClass >= classCount)
        {
            errors.Add($"heads.road_class: expected 0..{classCount - 1} (a class of the model), got {RoadClass}");
        }

        string[] expected = [ScoreOutput, RoadOutput];
        string[] withLabels = [ScoreOutput, RoadOutput, LabelsOutput];
        if (Outputs is null || !(Outputs.SequenceEqual(expected, StringComparer.Ordinal) || Outputs.SequenceEqual(withLabels, StringComparer.Ordinal)))
        {
            errors.Add($"heads.outputs: expected [score, road] or [score, road, labels], got [{string.Join(", ", Outputs ?? [])}]");
        }

        if (HasLabels && classCount > byte.MaxValue + 1)
        {
            errors.Add($"heads.outputs: labels is uint8, expected at most 256 classes, got {classCount}");
        }

        return errors;
    }
}
