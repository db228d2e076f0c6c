namespace Edge.Runtime.Vehicle;

/// <summary>NMEA GPS input: a serial port or a TCP endpoint (exactly one). Validated once by <see cref="CreateSource"/>.</summary>
public sealed record GpsSettings
{
    /// <summary>e.g. <c>/dev/ttyTHS1</c>.</summary>
    public string? SerialPort { get; init; }

    public int BaudRate { get; init; } = 9600;

    public string? TcpHost { get; init; }

    public int TcpPort { get; init; } = 10110;

    /// <summary>A fix older than this (receive time) is reported as unknown.</summary>
    public TimeSpan MaxFixAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait before reopening the source after it failed or ended.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        var serial = !string.IsNullOrWhiteSpace(SerialPort);
        var tcp = !string.IsNullOrWhiteSpace(TcpHost);
        if (serial == tcp)
        {
            throw new ArgumentException($"GPS source: expected exactly one of serial port or TCP host, got serial '{SerialPort}' and TCP '{TcpHost}'.");
        }

        if (serial && BaudRate is < 300 or > 4_000_000)
        {
            throw new ArgumentException($"GPS baud rate: expected 300..4000000, got {BaudRate}.");
        }

        if (tcp && TcpPort is < 1 or > 65535)
        {
            throw new ArgumentException($"GPS TCP port: expected 1..65535, got {TcpPort}.");
        }

        if (MaxFixAge <= TimeSpan.Zero || ReconnectDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"GPS max fix age / reconnect delay: expected > 0, got {MaxFixAge} / {ReconnectDelay}.");
        }
    }

    public INmeaSource CreateSource()
    {
        Validate();
        return string.IsNullOrWhiteSpace(SerialPort) ? new TcpNmeaSource(TcpHost!, TcpPort) : new SerialNmeaSource(SerialPort, BaudRate);
    }
}
