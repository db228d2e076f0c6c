using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>Computes the drivable-area mask (255 = drivable) of one score map, at model resolution.</summary>
public interface IDrivableArea : IDisposable
{
    /// <summary>False when there is no area (the whole frame is searched and nothing is on the road).</summary>
    bool HasArea { get; }

    /// <summary>Writes the mask of <paramref name="map"/> into <paramref name="mask"/> (CV_8UC1, map size).</summary>
    void Compute(ScoreMap map, Mat mask);
}
