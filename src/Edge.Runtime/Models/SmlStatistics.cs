namespace Edge.Runtime.Models;

/// <summary>
/// Model card <c>sml</c>: per predicted class c, the mean and standard deviation of the max logit over the pixels the
/// model predicts as c, from unlabelled driving frames (<c>edgeseg-tools calibrate-sml</c>).
/// </summary>
public sealed record SmlStatistics
{
    /// <summary>Mean max logit per class (index = class index; one entry per card class).</summary>
    public required IReadOnlyList<double> ClassMeans { get; init; }

    /// <summary>Standard deviation of the max logit per class (> 0).</summary>
    public required IReadOnlyList<double> ClassStds { get; init; }

    /// <summary>Frames the statistics were computed on.</summary>
    public required int Frames { get; init; }

    /// <summary>The data they came from (folders / videos).</summary>
    public required IReadOnlyList<string> Source { get; init; }

    /// <summary>Rule violations for a card with <paramref name="classCount"/> classes, each naming the field.</summary>
    public IEnumerable<string> Validate(string prefix, int classCount)
    {
        if (ClassMeans is null || ClassMeans.Count != classCount)
        {
            yield return $"{prefix}.class_means: expected {classCount} values (one per class), got {ClassMeans?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}";
        }
        else if (ClassMeans.Any(m => !double.IsFinite(m)))
        {
            yield return $"{prefix}.class_means: expected finite values, got [{string.Join(", ", ClassMeans)}]";
        }

        if (ClassStds is null || ClassStds.Count != classCount)
        {
            yield return $"{prefix}.class_stds: expected {classCount} values (one per class), got {ClassStds?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}";
        }
        else if (ClassStds.Any(s => !(s > 0 && double.IsFinite(s))))
        {
            yield return $"{prefix}.class_stds: expected finite values > 0, got [{string.Join(", ", ClassStds)}]";
        }

        if (Frames < 1)
        {
            yield return $"{prefix}.frames: expected >= 1, got {Frames}";
        }

        if (Source is null || Source.Count == 0 || Source.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{prefix}.source: expected a non-empty list of data paths, got {(Source is null ? "null" : $"{Source.Count} entries")}";
        }
    }
}
