using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>
/// Keeps only the road the vehicle drives on (settings <c>hazards.road_area.ego_road</c>): the 8-connected components of
/// the model's road mask that reach the bottom <see cref="RoadAreaSettings.EgoRoadBottomFraction"/> of the map. Road
/// pixels the network scatters over the sky, distant hills or walls are not connected to it and are cleared, so neither
/// the drivable area nor the road-enclosure holes extend over them. One OpenCV connected-components call (labels only),
/// a pass over the bottom band's labels, and a pass over the map only when something is cleared. Not thread-safe.
/// </summary>
public sealed class EgoRoad : IDisposable
{
    private readonly double _bottomFraction;
    private readonly Mat _labels = new();
    private bool[] _keep = [];

    public EgoRoad(double bottomFraction)
    {
        if (!(bottomFraction > 0 && bottomFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(bottomFraction), bottomFraction, "hazards.road_area.ego_road_bottom_fraction: expected 0 < value <= 1.");
        }

        _bottomFraction = bottomFraction;
    }

    /// <summary>Clears, in place, every road pixel of <paramref name="map"/> whose component does not reach the bottom band.</summary>
    public unsafe void Apply(ScoreMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int count;
        fixed (byte* roadPtr = map.Road)
        {
            using var roadMat = Mat.FromPixelData(map.Height, map.Width, MatType.CV_8UC1, (nint)roadPtr);
            count = Cv2.ConnectedComponents(roadMat, _labels, PixelConnectivity.Connectivity8, MatType.CV_32S);
        }

        if (count <= 1)
        {
            return;
        }

        if (_keep.Length < count)
        {
            _keep = new bool[Math.Max(count, _keep.Length * 2)];
        }

        Array.Clear(_keep, 0, count);
        var band = map.Height - Math.Max(1, (int)Math.Round(_bottomFraction * map.Height));
        var bandLabels = new ReadOnlySpan<int>((void*)_labels.Data, map.PixelCount)[(band * map.Width)..];
        var kept = 0;
        foreach (var label in bandLabels)
        {
            if (label != 0 && !_keep[label])
            {
                _keep[label] = true;
                kept++;
            }
        }

        if (kept == count - 1)
        {
            return;
        }

        var labels = new ReadOnlySpan<int>((void*)_labels.Data, map.PixelCount);
        var road = map.Road.AsSpan(0, map.PixelCount);
        var keep = _keep;
        for (var i = 0; i < road.Length; i++)
        {
            if (road[i] != 0 && !keep[labels[i]])
            {
                road[i] = 0;
            }
        }
    }

    public void Dispose()
    {
        _labels.Dispose();
    }
}
