namespace Edge.Runtime.Hazards;

/// <summary>The row-dependent minimum area of <see cref="PerspectiveMinAreaSettings"/>.</summary>
public sealed class PerspectiveMinArea
{
    private readonly PerspectiveMinAreaSettings _settings;

    public PerspectiveMinArea(PerspectiveMinAreaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate("hazards.perspective_min_area").ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(settings));
        }

        _settings = settings;
    }

    /// <summary>Minimum area in source pixels of a hazard whose bottom edge is at <paramref name="bottom"/> (exclusive
    /// row end, map rows) of a map <paramref name="height"/> rows high.</summary>
    public double MinAreaPx(int bottom, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var horizon = _settings.HorizonFraction;
        var r = Math.Clamp((((double)bottom / height) - horizon) / (1 - horizon), 0, 1);
        return _settings.BaseAreaPx * r * r;
    }
}
