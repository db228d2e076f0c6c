using System.Text.Json.Serialization;

namespace Host.Tools.Evaluation;

/// <summary>Everything <c>evaluate</c> measured: the <c>results.json</c> document.</summary>
public sealed record AnomalyEvaluationReport
{
    public required string Model { get; init; }

    public required string ModelPath { get; init; }

    public required string Provider { get; init; }

    public required string Fpr95Convention { get; init; }

    public required IReadOnlyList<AnomalyResult> Results { get; init; }

    public required IReadOnlyList<DatasetTiming> Timing { get; init; }

    public required double TotalSeconds { get; init; }

    public required long PeakWorkingSetBytes { get; init; }

    public required DateTimeOffset Created { get; init; }

    [JsonIgnore]
    public IReadOnlyList<DatasetCurves> Curves { get; init; } = [];
}
