using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using Edge.Runtime.Tracking;

namespace Edge.Runtime.Tests.Support;

internal static class TestEvents
{
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A distinct event per <paramref name="index"/> (id h-index/3, cycling new/update/end).</summary>
    public static HazardEvent Make(int index, GeoFix? gps = null) => new()
    {
        Id = $"h-{index / 3}",
        Type = (HazardEventType)(index % 3),
        Timestamp = Epoch.AddMilliseconds(index * 33.0),
        FrameId = 1000 + index,
        Bbox = new BoundingBox(10 + index, 20, 30, 40),
        AreaPx = 1000 + index,
        AreaFrac = (1000 + index) / (512.0 * 1024.0),
        ScoreMax = 0.9f,
        ScoreMean = 0.75f,
        OnRoad = index % 2 == 0,
        Model = "enet-seed-560-void",
        Method = "max_logit",
        Gps = gps,
    };

    /// <summary>A confirmed hazard as the tracker lists it (the record the state topic and the indicator take).</summary>
    public static ActiveHazard Active(string id, BoundingBox bbox, double areaFrac, float scoreMax, bool onRoad, DateTimeOffset since) => new(
        id,
        new Hazard { Bbox = bbox, AreaPx = bbox.Width * bbox.Height, AreaFrac = areaFrac, ScoreMax = scoreMax, ScoreMean = scoreMax, CentroidX = bbox.X + (bbox.Width / 2.0), CentroidY = bbox.Y + (bbox.Height / 2.0), OnRoad = onRoad },
        since,
        0);
}
