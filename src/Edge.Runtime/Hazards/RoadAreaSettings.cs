namespace Edge.Runtime.Hazards;

/// <summary>The drivable area hazards are restricted to (settings <c>hazards.road_area</c>).</summary>
public sealed record RoadAreaSettings
{
    public RoadAreaMode Mode { get; init; } = RoadAreaMode.Model;

    /// <summary>Class index the model uses for road (Cityscapes train id 0).</summary>
    public int RoadClass { get; init; }

    /// <summary>Dilation of the model's road pixels, in model-input pixels, so objects lying on the road are inside.</summary>
    public int DilatePx { get; init; } = 25;

    /// <summary>
    /// Keep only the road connected to the vehicle: components of the model's road mask that reach the bottom
    /// <see cref="EgoRoadBottomFraction"/> of the frame (mode Model; also the road the enclosure fills).
    /// </summary>
    public bool EgoRoad { get; init; }

    /// <summary>Height of the bottom band, as a fraction of the frame, that a road component must reach to be kept.</summary>
    public double EgoRoadBottomFraction { get; init; } = 0.25;

    /// <summary>Polygon vertices [x, y] in 0..1 frame coordinates (mode Polygon), at least 3.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Polygon { get; init; }

    /// <summary>True: anomalous pixels outside the area are discarded; false: kept, and only <c>on_road</c> reflects the area.</summary>
    public bool Restrict { get; init; } = true;

    public IEnumerable<string> Validate(string prefix, int classCount)
    {
        if (Mode == RoadAreaMode.Model && (RoadClass < 0 || RoadClass >= classCount))
        {
            yield return $"{prefix}.road_class: expected 0..{classCount - 1} (a class of the model), got {RoadClass}";
        }

        if (!(EgoRoadBottomFraction > 0 && EgoRoadBottomFraction <= 1))
        {
            yield return $"{prefix}.ego_road_bottom_fraction: expected 0 < value <= 1 (fraction of the frame height), got {EgoRoadBottomFraction}";
        }

        if (DilatePx is < 0 or > 500)
        {
            yield return $"{prefix}.dilate_px: expected 0..500 model pixels, got {DilatePx}";
        }

        if (Mode == RoadAreaMode.Polygon)
        {
            if (Polygon is null || Polygon.Count < 3)
            {
                yield return $"{prefix}.polygon: expected at least 3 [x, y] vertices for mode Polygon, got {Polygon?.Count ?? 0}";
            }
            else if (Polygon.Any(p => p is null || p.Count != 2 || p.Any(v => !(v >= 0 && v <= 1))))
            {
                yield return $"{prefix}.polygon: expected [x, y] pairs with 0 <= x, y <= 1 (fractions of the frame), got {string.Join(" ", Polygon.Select(p => p is null ? "null" : $"[{string.Join(", ", p)}]"))}";
            }
        }
    }
}
