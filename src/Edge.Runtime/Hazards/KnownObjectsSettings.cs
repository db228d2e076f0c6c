namespace Edge.Runtime.Hazards;

/// <summary>
/// Known-object filter (settings <c>hazards.known_objects</c>): a hazard whose pixels the network labels mostly as a known
/// vehicle (argmax one of <see cref="Classes"/>: by default Cityscapes car, truck, bus) is that vehicle, not an unknown
/// obstacle, and is not reported: on a highway the road surrounds every car ahead. People, riders and two-wheelers are
/// not in the default: a person on the road is a hazard the driver must hear about. Decided per hazard, on its own
/// pixels, so an unknown object beside a car still counts. Needs the argmax labels: the CPU-scored plain model computes
/// them, a heads model must output <c>labels</c>.
/// </summary>
public sealed record KnownObjectsSettings
{
    /// <summary>Cityscapes train ids 13-15: car, truck, bus.</summary>
    public static readonly IReadOnlyList<int> CityscapesVehicles = [13, 14, 15];

    public bool Enabled { get; init; }

    /// <summary>Classes (model class indices) that are known objects.</summary>
    public IReadOnlyList<int> Classes { get; init; } = CityscapesVehicles;

    /// <summary>A hazard is dropped when at least this fraction of its pixels has a known-object argmax.</summary>
    public double MinFraction { get; init; } = 0.5;

    public IEnumerable<string> Validate(string prefix, int classCount)
    {
        if (Classes is null || Classes.Count == 0)
        {
            yield return $"{prefix}.classes: expected at least one class index 0..{classCount - 1}, got {(Classes is null ? "null" : "[]")}";
        }
        else if (Classes.Any(c => c < 0 || c >= classCount || c > byte.MaxValue))
        {
            yield return $"{prefix}.classes: expected class indices 0..{Math.Min(classCount, 256) - 1} (classes of the model), got [{string.Join(", ", Classes)}]";
        }

        if (!(MinFraction > 0 && MinFraction <= 1))
        {
            yield return $"{prefix}.min_fraction: expected 0 < value <= 1 (fraction of the hazard's pixels), got {MinFraction}";
        }
    }
}
