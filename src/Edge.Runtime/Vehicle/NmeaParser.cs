using System.Globalization;
using Iot.Device.Nmea0183;
using Iot.Device.Nmea0183.Sentences;

namespace Edge.Runtime.Vehicle;

/// <summary>
/// NMEA 0183 <c>$--RMC</c> and <c>$--GGA</c> (any talker: GP, GN, GL, ...) through dotnet/iot's
/// <c>Iot.Device.Nmea0183</c> (<see cref="TalkerSentence"/> → <see cref="RecommendedMinimumNavigationInformation"/> /
/// <see cref="GlobalPositioningSystemFixData"/>), mapped onto the runtime's <see cref="NmeaReading"/>. The checksum is
/// mandatory here (the package accepts a sentence without one).
/// </summary>
public static class NmeaParser
{
    /// <summary>True when <paramref name="line"/> is <c>$body*HH</c> and HH is the NMEA checksum of <c>$body</c>.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd("\r\n ");
        var star = line.LastIndexOf('*');
        if (line.Length < 4 || line[0] != '$' || star < 1 || star != line.Length - 3)
        {
            return false;
        }

        return byte.TryParse(line[(star + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var expected)
            && TalkerSentence.CalculateChecksum(line[..star].ToString()) == expected;
    }

    /// <summary>The reading of a valid RMC/GGA sentence; null for other sentences, bad checksums or malformed fields.</summary>
    public static NmeaReading? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!HasValidChecksum(line))
        {
            return null;
        }

        var sentence = TalkerSentence.FromSentenceString(line.TrimEnd('\r', '\n', ' '), out var error);
        if (sentence is null || error != NmeaError.None)
        {
            return null;
        }

        // Time-only sentences (GGA) take their date from this; only the time of day is used from them.
        var lastMessageTime = DateTimeOffset.UnixEpoch;
        return sentence.TryGetTypedValue(ref lastMessageTime) switch
        {
            RecommendedMinimumNavigationInformation rmc => FromRmc(rmc),
            GlobalPositioningSystemFixData gga => FromGga(gga),
            _ => null,
        };
    }

    private static NmeaReading? FromRmc(RecommendedMinimumNavigationInformation rmc)
    {
        if (!HasTime(rmc))
        {
            return null;
        }

        var time = TimeOnly.FromTimeSpan(rmc.DateTime.UtcDateTime.TimeOfDay);
        var date = DateOnly.FromDateTime(rmc.DateTime.UtcDateTime);
        if (rmc.Status != NavigationStatus.Valid || rmc.Position is not { } position)
        {
            return new NmeaReading("RMC", false, 0, 0, null, time, date);
        }

        double? speed = double.IsFinite(rmc.SpeedOverGround.KilometersPerHour) ? rmc.SpeedOverGround.KilometersPerHour : null;
        return new NmeaReading("RMC", true, position.Latitude, position.Longitude, speed, time, date);
    }

    private static NmeaReading? FromGga(GlobalPositioningSystemFixData gga)
    {
        if (!HasTime(gga))
        {
            return null;
        }

        var time = TimeOnly.FromTimeSpan(gga.DateTime.UtcDateTime.TimeOfDay);
        if (gga.Status == GpsQuality.NoFix || !gga.Valid || gga.Position is not { } position)
        {
            return new NmeaReading("GGA", false, 0, 0, null, time, null);
        }

        return new NmeaReading("GGA", true, position.Latitude, position.Longitude, null, time, null)
        {
            Hdop = gga.Hdop > 0 && double.IsFinite(gga.Hdop) ? gga.Hdop : null,
        };
    }

    /// <summary>The package leaves <see cref="NmeaSentence.DateTime"/> at its default when the time field is missing or malformed.</summary>
    private static bool HasTime(NmeaSentence sentence) => sentence.DateTime != default;
}
