using System.Text.Json.Serialization;
using Edge.Camera;
using Edge.Runtime.Configuration;

namespace Edge.Runtime.Vehicle;

/// <summary>
/// Settings <c>gps</c>: an NMEA receiver whose fix is attached to events, on a serial port or, with
/// <see cref="TcpHost"/> set, a TCP endpoint (gpsd's NMEA port, a phone app, a test). The section binds to this record
/// directly; validated once by <see cref="CreateSource"/> / <see cref="NmeaGpsReader"/>.
/// </summary>
public sealed record GpsSettings
{
    public const string DefaultSerialPort = "/dev/ttyUSB0";

    /// <summary>Start the GPS reader with the runtime.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>port</c>: serial device, e.g. <c>/dev/ttyTHS1</c>; used when <see cref="TcpHost"/> is unset.</summary>
    [JsonPropertyName("port")]
    public string? SerialPort { get; init; } = DefaultSerialPort;

    public int BaudRate { get; init; } = 9600;

    /// <summary>NMEA over TCP from this host instead of the serial port; null = serial.</summary>
    public string? TcpHost { get; init; }

    public int TcpPort { get; init; } = 10110;

    /// <summary><c>max_fix_age_seconds</c>: a fix older than this (receive time) is reported as unknown.</summary>
    [JsonPropertyName("max_fix_age_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan MaxFixAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>reconnect_delay_seconds</c>: wait before reopening the source after it failed or ended.</summary>
    [JsonPropertyName("reconnect_delay_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    [JsonIgnore]
    public bool UsesTcp => !string.IsNullOrWhiteSpace(TcpHost);

    /// <summary>Rule violations (field as its JSON path under <paramref name="prefix"/>, expected, actual).</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!UsesTcp && string.IsNullOrWhiteSpace(SerialPort))
        {
            yield return $"{prefix}.port: expected a serial device (or {prefix}.tcp_host), got '{SerialPort}'";
        }

        if (!UsesTcp && BaudRate is < 300 or > 4_000_000)
        {
            yield return $"{prefix}.baud_rate: expected 300..4000000, got {BaudRate}";
        }

        if (UsesTcp && TcpPort is < 1 or > 65535)
        {
            yield return $"{prefix}.tcp_port: expected 1..65535, got {TcpPort}";
        }

        if (MaxFixAge <= TimeSpan.Zero)
        {
            yield return $"{prefix}.max_fix_age_seconds: expected > 0, got {MaxFixAge.TotalSeconds}";
        }

        if (ReconnectDelay <= TimeSpan.Zero)
        {
            yield return $"{prefix}.reconnect_delay_seconds: expected > 0, got {ReconnectDelay.TotalSeconds}";
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every violation (<c>gps.*</c>).</summary>
    public void Validate() => SettingsErrors.ThrowIfAny(Validate("gps"));

    public INmeaSource CreateSource()
    {
        Validate();
        return UsesTcp ? new TcpNmeaSource(TcpHost!, TcpPort) : new SerialNmeaSource(SerialPort!, BaudRate);
    }
}
