namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>gps</c>: an NMEA serial receiver whose fix is attached to events (implemented by the MQTT/GPS branch).</summary>
public sealed record GpsSettings
{
    public bool Enabled { get; init; }

    public string Port { get; init; } = "/dev/ttyUSB0";

    public int BaudRate { get; init; } = 9600;
}
