using System.Globalization;

namespace Edge.Runtime.Vehicle;

/// <summary>NMEA 0183 parsing of <c>$--RMC</c> and <c>$--GGA</c> (any talker: GP, GN, GL, ...) with mandatory checksum.</summary>
public static class NmeaParser
{
    public const double KmhPerKnot = 1.852;

    /// <summary>True when <paramref name="line"/> is <c>$body*HH</c> and HH is the XOR of the body characters.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd("\r\n ");
        var star = line.LastIndexOf('*');
        if (line.Length < 4 || line[0] != '$' || star < 1 || star != line.Length - 3)
        {
            return false;
        }

        if (!byte.TryParse(line[(star + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var expected))
        {
            return false;
        }

        byte sum = 0;
        foreach (var c in line[1..star])
        {
            sum ^= (byte)c;
        }

        return sum == expected;
    }

    /// <summary>The reading of a valid RMC/GGA sentence; null for other sentences, bad checksums or malformed fields.</summary>
    public static NmeaReading? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!HasValidChecksum(line))
        {
            return null;
        }

        var trimmed = line.TrimEnd('\r', '\n', ' ');
        var fields = trimmed[1..trimmed.LastIndexOf('*')].Split(',');
        if (fields[0].Length != 5)
        {
            return null;
        }

        var kind = fields[0][2..];
        try
        {
            return kind switch
            {
                "RMC" when fields.Length >= 10 => ParseRmc(fields),
                "GGA" when fields.Length >= 7 => ParseGga(fields),
                _ => null,
            };
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static NmeaReading ParseRmc(string[] f)
    {
        var time = ParseTime(f[1]);
        var hasFix = f[2] == "A";
        DateOnly? date = f[9].Length == 6
            ? DateOnly.ParseExact(f[9], "ddMMyy", CultureInfo.InvariantCulture)
            : null;
        if (!hasFix)
        {
            return new NmeaReading("RMC", false, 0, 0, null, time, date);
        }

        double? speed = f[7].Length > 0 ? ParseDouble(f[7]) * KmhPerKnot : null;
        return new NmeaReading("RMC", true, ParseCoordinate(f[3], f[4], 2), ParseCoordinate(f[5], f[6], 3), speed, time, date);
    }

    private static NmeaReading ParseGga(string[] f)
    {
        var time = ParseTime(f[1]);
        var quality = f[6].Length > 0 ? int.Parse(f[6], CultureInfo.InvariantCulture) : 0;
        if (quality == 0 || f[2].Length == 0)
        {
            return new NmeaReading("GGA", false, 0, 0, null, time, null);
        }

        return new NmeaReading("GGA", true, ParseCoordinate(f[2], f[3], 2), ParseCoordinate(f[4], f[5], 3), null, time, null);
    }

    private static TimeOnly ParseTime(string hhmmss)
    {
        if (hhmmss.Length < 6)
        {
            throw new FormatException($"NMEA time: expected hhmmss[.ss], got '{hhmmss}'.");
        }

        var seconds = ParseDouble(hhmmss[4..]);
        return new TimeOnly(int.Parse(hhmmss[..2], CultureInfo.InvariantCulture), int.Parse(hhmmss[2..4], CultureInfo.InvariantCulture), 0)
            .Add(TimeSpan.FromMilliseconds(Math.Round(seconds * 1000)));
    }

    /// <summary><c>ddmm.mmmm</c> / <c>dddmm.mmmm</c> with hemisphere to signed decimal degrees.</summary>
    private static double ParseCoordinate(string value, string hemisphere, int degreeDigits)
    {
        if (value.Length < degreeDigits + 2)
        {
            throw new FormatException($"NMEA coordinate: expected {degreeDigits} degree digits and minutes, got '{value}'.");
        }

        var degrees = int.Parse(value[..degreeDigits], CultureInfo.InvariantCulture) + (ParseDouble(value[degreeDigits..]) / 60.0);
        return hemisphere switch
        {
            "N" or "E" => degrees,
            "S" or "W" => -degrees,
            _ => throw new FormatException($"NMEA hemisphere: expected N, S, E or W, got '{hemisphere}'."),
        };
    }

    private static double ParseDouble(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
