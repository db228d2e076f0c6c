namespace Edge.Runtime.Alerts;

/// <summary>A GPS position (WGS-84 degrees) with ground speed when known.</summary>
public sealed record GeoFix(double Latitude, double Longitude, double? SpeedKmh, DateTimeOffset Timestamp)
{
    /// <summary>Horizontal accuracy radius in metres when the receiver reports one (Home Assistant's <c>gps_accuracy</c>).</summary>
    public double? AccuracyMeters { get; init; }
}
