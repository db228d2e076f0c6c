using System.Text.Json.Serialization;

namespace Host.Tools.Evaluation.Components;

/// <summary>
/// SegmentMeIfYouCan component metrics of one set (the <c>"component"</c> object of a <c>results.json</c> row):
/// sIoU over label components, PPV over predicted components, F1 at τ = 0.25, 0.5, 0.75 and the mean F1 over
/// τ = 0.25, 0.30, …, 0.75; percentages, null where undefined (no object, no segment, or neither).
/// </summary>
public sealed record ComponentResult
{
    /// <summary>Score threshold: a pixel is predicted anomalous when its score is greater.</summary>
    [JsonPropertyName("threshold")]
    public required double Threshold { get; init; }

    [JsonPropertyName("min_segment_px")]
    public required int MinSegmentPixels { get; init; }

    [JsonPropertyName("min_object_px")]
    public required int MinObjectPixels { get; init; }

    [JsonPropertyName("siou_gt")]
    public double? SIoUGt { get; init; }

    [JsonPropertyName("ppv")]
    public double? Ppv { get; init; }

    [JsonPropertyName("f1_25")]
    public double? F1At25 { get; init; }

    [JsonPropertyName("f1_50")]
    public double? F1At50 { get; init; }

    [JsonPropertyName("f1_75")]
    public double? F1At75 { get; init; }

    [JsonPropertyName("f1_mean")]
    public double? F1Mean { get; init; }

    /// <summary>Label components counted (after the size filter).</summary>
    [JsonIgnore]
    public int Objects { get; init; }

    /// <summary>Predicted components counted (after the size filter).</summary>
    [JsonIgnore]
    public int Segments { get; init; }

    /// <summary>TP, FN, FP per τ of <see cref="ComponentMetrics.Taus"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<ComponentCounts> Counts { get; init; } = [];
}
