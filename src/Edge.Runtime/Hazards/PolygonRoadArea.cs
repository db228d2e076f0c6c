using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>A fixed polygon (vertices in 0..1 frame fractions), rasterised once per map size.</summary>
public sealed class PolygonRoadArea : IDrivableArea
{
    private readonly IReadOnlyList<IReadOnlyList<double>> _polygon;
    private Mat? _cached;

    public PolygonRoadArea(IReadOnlyList<IReadOnlyList<double>> polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        if (polygon.Count < 3)
        {
            throw new ArgumentException($"Road polygon: expected at least 3 vertices, got {polygon.Count}.", nameof(polygon));
        }

        _polygon = polygon;
    }

    public bool HasArea => true;

    public void Compute(ScoreMap map, Mat mask)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mask);
        if (_cached is null || _cached.Width != map.Width || _cached.Height != map.Height)
        {
            _cached?.Dispose();
            _cached = new Mat(map.Height, map.Width, MatType.CV_8UC1, Scalar.All(0));
            var points = _polygon.Select(p => new Point((int)Math.Round(p[0] * (map.Width - 1)), (int)Math.Round(p[1] * (map.Height - 1)))).ToArray();
            Cv2.FillPoly(_cached, [points], Scalar.All(255));
        }

        _cached.CopyTo(mask);
    }

    public void Dispose() => _cached?.Dispose();
}
