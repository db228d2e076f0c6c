namespace Edge.Runtime.Mqtt;

/// <summary>
/// Broker connection and topic settings for <see cref="MqttAlertService"/>. Validated once by <see cref="Validate"/>
/// (called by the service constructor). With <see cref="Host"/> unset an <see cref="EmbeddedBroker"/> is started on
/// 127.0.0.1:<see cref="EmbeddedBrokerPort"/> and used.
/// </summary>
public sealed record MqttSettings
{
    public const string DefaultTopicPrefix = "edgeseg";
    public const int DefaultPort = 1883;

    /// <summary>Broker host name or address; null/empty = start and use the embedded broker.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    public bool UseTls { get; init; }

    /// <summary>PEM/DER CA certificate that signs the broker certificate (TLS only); null = system trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate presented to the broker (TLS only, with <see cref="KeyFile"/>); null = none.</summary>
    public string? CertFile { get; init; }

    /// <summary>Unencrypted PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Accept any broker certificate (tests / lab only).</summary>
    public bool AllowUntrustedCertificates { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>MQTT client id; null = <c>edgeseg-&lt;device id&gt;</c>.</summary>
    public string? ClientId { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Device id: the second topic level, <c>edgeseg/&lt;device id&gt;/...</c>. Default: the host name.</summary>
    public string DeviceId { get; init; } = SanitizeDeviceId(Environment.MachineName);

    public string TopicPrefix { get; init; } = DefaultTopicPrefix;

    /// <summary>Port of the embedded broker (used when <see cref="Host"/> is unset); a free port is taken (and logged) if busy.</summary>
    public int EmbeddedBrokerPort { get; init; } = DefaultPort;

    /// <summary>
    /// First reconnect delay; doubles after each failed attempt up to <see cref="ReconnectMaxDelay"/>, each delay drawn
    /// at random in [½, 1] of that (jitter). Reset after a connection that stayed up for <see cref="ReconnectMaxDelay"/>.
    /// </summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one connect or one QoS 1 publish (until PUBACK) may take before the connection is considered broken.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="MqttAlertService.StopAsync"/> waits for the alert queue to drain before going offline.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of <c>stats</c> messages when the service has a stats source.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Home Assistant MQTT discovery; null = off. Configs are published (retained) on every (re)connect.</summary>
    public HomeAssistantDevice? HomeAssistant { get; init; }

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Host);

    public string EffectiveClientId => string.IsNullOrWhiteSpace(ClientId) ? $"edgeseg-{DeviceId}" : ClientId;

    /// <summary>Lower-cases and replaces characters that are not letters, digits, '-' or '_' by '-'.</summary>
    public static string SanitizeDeviceId(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        return chars.Length == 0 ? "device" : new string(chars);
    }

    public void Validate()
    {
        if (!UsesEmbeddedBroker && (Port is < 1 or > 65535))
        {
            throw new ArgumentException($"MQTT port: expected 1..65535, got {Port}.");
        }

        if (EmbeddedBrokerPort is < 0 or > 65535)
        {
            throw new ArgumentException($"MQTT embedded broker port: expected 0..65535 (0 = any free port), got {EmbeddedBrokerPort}.");
        }

        if (string.IsNullOrWhiteSpace(DeviceId) || DeviceId.IndexOfAny(['/', '+', '#', ' ']) >= 0)
        {
            throw new ArgumentException($"MQTT device id: expected a non-empty topic level without '/', '+', '#' or spaces, got '{DeviceId}'.");
        }

        if (string.IsNullOrWhiteSpace(TopicPrefix) || TopicPrefix.IndexOfAny(['+', '#']) >= 0 || TopicPrefix.StartsWith('/') || TopicPrefix.EndsWith('/'))
        {
            throw new ArgumentException($"MQTT topic prefix: expected a topic without wildcards or leading/trailing '/', got '{TopicPrefix}'.");
        }

        if (UseTls && UsesEmbeddedBroker)
        {
            throw new ArgumentException("MQTT TLS: expected a broker host when TLS is on (the embedded broker is plain TCP on 127.0.0.1), got none.");
        }

        if (CaFile is not null)
        {
            foreach (var certificate in MqttTlsFiles.LoadCa(CaFile))
            {
                certificate.Dispose();
            }
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            throw new ArgumentException($"{(CertFile is null ? MqttTlsFiles.CertField : MqttTlsFiles.KeyField)}: expected it together with {(CertFile is null ? MqttTlsFiles.KeyField : MqttTlsFiles.CertField)}, got only the latter.");
        }

        if (CertFile is not null && !UseTls)
        {
            throw new ArgumentException($"{MqttTlsFiles.CertField}: a client certificate needs TLS (mqtt.tls: true or an mqtts:// broker), got TLS off.");
        }

        if (CertFile is not null)
        {
            using var certificate = MqttTlsFiles.LoadClientCertificate(CertFile, KeyFile!);
        }

        if (Password is not null && Username is null)
        {
            throw new ArgumentException("MQTT password: expected a username with it, got none.");
        }

        HomeAssistant?.Validate();
        RequirePositive(KeepAlive, "keep-alive");
        RequirePositive(ReconnectMinDelay, "reconnect min delay");
        RequirePositive(OperationTimeout, "operation timeout");
        RequirePositive(StatsInterval, "stats interval");
        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            throw new ArgumentException($"MQTT reconnect max delay: expected >= min delay {ReconnectMinDelay}, got {ReconnectMaxDelay}.");
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"MQTT drain timeout: expected >= 0, got {DrainTimeout}.");
        }
    }

    private static void RequirePositive(TimeSpan value, string field)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MQTT {field}: expected > 0, got {value}.");
        }
    }
}
