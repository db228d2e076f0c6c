namespace Edge.Runtime.Alerts;

/// <summary>A GPS position (WGS-84 degrees) with ground speed when known.</summary>
public sealed record GeoFix(double Latitude, double Longitude, double? SpeedKmh, DateTimeOffset Timestamp);
