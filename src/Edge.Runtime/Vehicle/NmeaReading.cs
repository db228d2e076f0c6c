namespace Edge.Runtime.Vehicle;

/// <summary>
/// One parsed RMC or GGA sentence. <see cref="HasFix"/> false = the receiver reports no valid position (RMC status V,
/// GGA quality 0); position fields are then 0. <see cref="Date"/> is only known from RMC; speed only from RMC.
/// </summary>
public sealed record NmeaReading(string SentenceType, bool HasFix, double Latitude, double Longitude, double? SpeedKmh, TimeOnly Time, DateOnly? Date)
{
    /// <summary>Horizontal dilution of precision (GGA only; null when absent).</summary>
    public double? Hdop { get; init; }
}
