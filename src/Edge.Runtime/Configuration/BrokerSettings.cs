namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>mqtt</c>: the broker; with no host the runtime starts an embedded broker on 127.0.0.1.</summary>
public sealed record BrokerSettings
{
    public string? Host { get; init; }

    public int Port { get; init; } = 1883;

    public bool Tls { get; init; }

    /// <summary>PEM (or DER) CA certificate that signed the broker's certificate (a private CA); null = the system trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate for brokers that require one (<c>require_certificate true</c>); with <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    /// <summary>Unencrypted PEM private key of <see cref="CertFile"/> (keep it 0600).</summary>
    public string? KeyFile { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>MQTT client id; null = <c>edgeseg-&lt;device_id&gt;</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Port of the embedded broker when no host is set.</summary>
    public int EmbeddedPort { get; init; } = 1883;

    /// <summary>First level of every topic (<c>&lt;topic_prefix&gt;/&lt;device_id&gt;/...</c>).</summary>
    public string TopicPrefix { get; init; } = "edgeseg";

    /// <summary>MQTT keep-alive; a broker that stops answering pings for longer is considered gone.</summary>
    public double KeepAliveSeconds { get; init; } = 30;

    /// <summary>How long one connect (until CONNACK) or one QoS 1 publish (until PUBACK) may take.</summary>
    public double OperationTimeoutSeconds { get; init; } = 10;

    /// <summary>First reconnect delay (doubles per failed attempt, with jitter).</summary>
    public double ReconnectMinDelaySeconds { get; init; } = 0.5;

    /// <summary>Longest reconnect delay.</summary>
    public double ReconnectMaxDelaySeconds { get; init; } = 30;

    /// <summary>How long a stop waits for queued events to be published before going offline (the rest stays on disk).</summary>
    public double DrainTimeoutSeconds { get; init; } = 5;

    /// <summary>Home Assistant MQTT discovery (<c>mqtt.home_assistant</c>).</summary>
    public HomeAssistantSettings HomeAssistant { get; init; } = new();

    /// <summary>Shape rules of the section (field, expected, actual); the TLS files themselves are checked by <see cref="ValidateFiles"/> at start-up.</summary>
    public IReadOnlyList<string> Validate(string prefix)
    {
        var errors = new List<string>();
        if (Port is < 1 or > 65535)
        {
            errors.Add($"{prefix}.port: expected 1..65535, got {Port}");
        }

        if (EmbeddedPort is < 0 or > 65535)
        {
            errors.Add($"{prefix}.embedded_port: expected 0..65535 (0 = any free port), got {EmbeddedPort}");
        }

        if (Password is not null && Username is null)
        {
            errors.Add($"{prefix}.username: expected a user name when {prefix}.password is set, got null");
        }

        if (string.IsNullOrWhiteSpace(TopicPrefix) || TopicPrefix.IndexOfAny(['+', '#']) >= 0 || TopicPrefix.StartsWith('/') || TopicPrefix.EndsWith('/'))
        {
            errors.Add($"{prefix}.topic_prefix: expected a topic without wildcards or leading/trailing '/', got '{TopicPrefix}'");
        }

        if (!Tls && (CaFile is not null || CertFile is not null || KeyFile is not null))
        {
            errors.Add($"{prefix}.tls: expected true when {prefix}.ca_file / cert_file / key_file is set, got false");
        }

        if (Tls && string.IsNullOrWhiteSpace(Host))
        {
            errors.Add($"{prefix}.tls: expected a broker {prefix}.host with TLS (the embedded broker is plain TCP on 127.0.0.1), got none");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            errors.Add(CertFile is null
                ? $"{prefix}.cert_file: expected a client certificate together with {prefix}.key_file, got null"
                : $"{prefix}.key_file: expected the private key of {prefix}.cert_file, got null");
        }

        Positive(KeepAliveSeconds, "keep_alive_seconds");
        Positive(OperationTimeoutSeconds, "operation_timeout_seconds");
        Positive(ReconnectMinDelaySeconds, "reconnect_min_delay_seconds");
        if (!(ReconnectMaxDelaySeconds >= ReconnectMinDelaySeconds && double.IsFinite(ReconnectMaxDelaySeconds)))
        {
            errors.Add($"{prefix}.reconnect_max_delay_seconds: expected a finite value >= reconnect_min_delay_seconds ({ReconnectMinDelaySeconds}), got {ReconnectMaxDelaySeconds}");
        }

        if (!(DrainTimeoutSeconds >= 0 && double.IsFinite(DrainTimeoutSeconds)))
        {
            errors.Add($"{prefix}.drain_timeout_seconds: expected a finite value >= 0, got {DrainTimeoutSeconds}");
        }

        return errors;

        void Positive(double value, string field)
        {
            if (!(value > 0 && double.IsFinite(value)))
            {
                errors.Add($"{prefix}.{field}: expected a finite value > 0, got {value}");
            }
        }
    }

    /// <summary>
    /// Start-up check of the TLS files: exist, readable, parse as PEM (CA; certificate + matching key). Throws
    /// <see cref="ArgumentException"/> naming the field (<c>mqtt.ca_file</c>, ...), what was expected and the path.
    /// </summary>
    public void ValidateFiles()
    {
        if (CaFile is not null)
        {
            foreach (var certificate in Edge.Runtime.Mqtt.MqttTlsFiles.LoadCa(CaFile))
            {
                certificate.Dispose();
            }
        }

        if (CertFile is not null && KeyFile is not null)
        {
            using var client = Edge.Runtime.Mqtt.MqttTlsFiles.LoadClientCertificate(CertFile, KeyFile);
        }
    }

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
