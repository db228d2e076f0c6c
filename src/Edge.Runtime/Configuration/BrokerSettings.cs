namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>mqtt</c>: the broker; with no host the runtime starts an embedded broker on 127.0.0.1.</summary>
public sealed record BrokerSettings
{
    public string? Host { get; init; }

    public int Port { get; init; } = 1883;

    public bool Tls { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>MQTT client id; null = <c>edgeseg-&lt;device_id&gt;</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Port of the embedded broker when no host is set.</summary>
    public int EmbeddedPort { get; init; } = 1883;

    /// <summary>Home Assistant MQTT discovery (<c>mqtt.home_assistant</c>).</summary>
    public HomeAssistantSettings HomeAssistant { get; init; } = new();

    /// <summary>Parses <c>mqtt://host:port</c> / <c>mqtts://host:port</c> (as given to <c>--broker</c>).</summary>
    public BrokerSettings WithUri(string uri)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("mqtt" or "mqtts") || string.IsNullOrEmpty(parsed.Host))
        {
            throw new ArgumentException($"--broker: expected mqtt://host[:port] or mqtts://host[:port], got '{uri}'.");
        }

        var tls = parsed.Scheme == "mqtts";
        return this with { Host = parsed.Host, Port = parsed.IsDefaultPort || parsed.Port < 0 ? (tls ? 8883 : 1883) : parsed.Port, Tls = tls };
    }
}
