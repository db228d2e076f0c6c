using System.Text.Json.Serialization;
using Edge.Camera;
using Edge.Runtime.Configuration;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// Settings <c>mqtt</c> of <c>edgeseg.json</c> and the options <see cref="MqttAlertService"/> takes: the file section
/// binds to this record directly (time spans as <c>*_seconds</c> numbers). <see cref="DeviceId"/> and
/// <see cref="StatsInterval"/> come from the top level (<c>device_id</c>, <c>stats_interval_seconds</c>; see
/// <see cref="RuntimeSettings.MqttService"/>). Rules: <see cref="Validate(string)"/>; TLS files:
/// <see cref="ValidateFiles"/>; both at once (the service constructor): <see cref="Validate()"/>. With
/// <see cref="Host"/> unset an <see cref="EmbeddedBroker"/> is started on 127.0.0.1:<see cref="EmbeddedBrokerPort"/>.
/// </summary>
public sealed record MqttSettings
{
    public const string DefaultTopicPrefix = "edgeseg";
    public const int DefaultPort = 1883;

    /// <summary>Broker host name or address; null/empty = start and use the embedded broker.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    /// <summary><c>tls</c>: TLS to the broker (needs <see cref="Host"/>).</summary>
    [JsonPropertyName("tls")]
    public bool UseTls { get; init; }

    /// <summary>PEM/DER CA certificate that signs the broker certificate (a private CA; TLS only); null = system trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate presented to the broker (TLS only, with <see cref="KeyFile"/>); null = none.</summary>
    public string? CertFile { get; init; }

    /// <summary>Unencrypted PEM private key of <see cref="CertFile"/> (keep it 0600).</summary>
    public string? KeyFile { get; init; }

    /// <summary>Accept any broker certificate (tests / lab only).</summary>
    public bool AllowUntrustedCertificates { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>MQTT client id; null = <c>edgeseg-&lt;device id&gt;</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>keep_alive_seconds</c>: a broker that stops answering pings for longer is considered gone.</summary>
    [JsonPropertyName("keep_alive_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Device id: the second topic level, <c>edgeseg/&lt;device id&gt;/...</c>. Default: the host name. Not part of the
    /// <c>mqtt</c> section: the runtime sets it from the top-level <c>device_id</c>.
    /// </summary>
    [JsonIgnore]
    public string DeviceId { get; init; } = SanitizeDeviceId(Environment.MachineName);

    /// <summary>First level of every topic (<c>&lt;topic_prefix&gt;/&lt;device_id&gt;/...</c>).</summary>
    public string TopicPrefix { get; init; } = DefaultTopicPrefix;

    /// <summary><c>embedded_port</c>: port of the embedded broker (used when <see cref="Host"/> is unset); a free port is taken (and logged) if busy; 0 = any.</summary>
    [JsonPropertyName("embedded_port")]
    public int EmbeddedBrokerPort { get; init; } = DefaultPort;

    /// <summary>
    /// <c>reconnect_min_delay_seconds</c>: first reconnect delay; doubles after each failed attempt up to
    /// <see cref="ReconnectMaxDelay"/>, each delay drawn at random in [½, 1] of that (jitter). Reset after a connection
    /// that stayed up for <see cref="ReconnectMaxDelay"/>.
    /// </summary>
    [JsonPropertyName("reconnect_min_delay_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary><c>reconnect_max_delay_seconds</c>: longest reconnect delay.</summary>
    [JsonPropertyName("reconnect_max_delay_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>operation_timeout_seconds</c>: how long one connect or one QoS 1 publish (until PUBACK) may take before the connection is considered broken.</summary>
    [JsonPropertyName("operation_timeout_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>drain_timeout_seconds</c>: how long <see cref="MqttAlertService.StopAsync"/> waits for the alert queue to drain before going offline (the rest stays on disk).</summary>
    [JsonPropertyName("drain_timeout_seconds")]
    [JsonConverter(typeof(SecondsConverter))]
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of <c>stats</c> messages when the service has a stats source (the runtime: top-level <c>stats_interval_seconds</c>).</summary>
    [JsonIgnore]
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>mqtt.home_assistant</c>: Home Assistant MQTT discovery; configs are published (retained) on every (re)connect when enabled.</summary>
    public HomeAssistantSettings HomeAssistant { get; init; } = new();

    [JsonIgnore]
    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Host);

    [JsonIgnore]
    public string EffectiveClientId => string.IsNullOrWhiteSpace(ClientId) ? $"edgeseg-{DeviceId}" : ClientId;

    /// <summary>Lower-cases and replaces characters that are not letters, digits, '-' or '_' by '-'.</summary>
    public static string SanitizeDeviceId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        return chars.Length == 0 ? "device" : new string(chars);
    }

    /// <summary>
    /// Shape rules of the section (field as its JSON path under <paramref name="prefix"/>, expected, actual); the TLS
    /// files themselves are checked by <see cref="ValidateFiles"/>.
    /// </summary>
    public IReadOnlyList<string> Validate(string prefix)
    {
        var errors = new List<string>();
        if (Port is < 1 or > 65535)
        {
            errors.Add($"{prefix}.port: expected 1..65535, got {Port}");
        }

        if (EmbeddedBrokerPort is < 0 or > 65535)
        {
            errors.Add($"{prefix}.embedded_port: expected 0..65535 (0 = any free port), got {EmbeddedBrokerPort}");
        }

        if (string.IsNullOrWhiteSpace(DeviceId) || DeviceId.Any(c => c is '/' or '+' or '#' || char.IsWhiteSpace(c)))
        {
            errors.Add($"device_id: expected a non-empty topic level without '/', '+', '#' or spaces, got '{DeviceId}'");
        }

        if (Password is not null && Username is null)
        {
            errors.Add($"{prefix}.username: expected a user name when {prefix}.password is set, got null");
        }

        if (string.IsNullOrWhiteSpace(TopicPrefix) || TopicPrefix.IndexOfAny(['+', '#']) >= 0 || TopicPrefix.StartsWith('/') || TopicPrefix.EndsWith('/'))
        {
            errors.Add($"{prefix}.topic_prefix: expected a topic without wildcards or leading/trailing '/', got '{TopicPrefix}'");
        }

        if (!UseTls && (CaFile is not null || CertFile is not null || KeyFile is not null))
        {
            errors.Add($"{prefix}.tls: expected true when {prefix}.ca_file / cert_file / key_file is set (or an mqtts:// broker), got false");
        }

        if (UseTls && UsesEmbeddedBroker)
        {
            errors.Add($"{prefix}.tls: expected a broker {prefix}.host with TLS (the embedded broker is plain TCP on 127.0.0.1), got none");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            errors.Add(CertFile is null
                ? $"{prefix}.cert_file: expected a client certificate together with {prefix}.key_file, got null"
                : $"{prefix}.key_file: expected the private key of {prefix}.cert_file, got null");
        }

        Positive(KeepAlive, "keep_alive_seconds");
        Positive(OperationTimeout, "operation_timeout_seconds");
        Positive(ReconnectMinDelay, "reconnect_min_delay_seconds");
        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            errors.Add($"{prefix}.reconnect_max_delay_seconds: expected >= reconnect_min_delay_seconds ({ReconnectMinDelay.TotalSeconds}), got {ReconnectMaxDelay.TotalSeconds}");
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            errors.Add($"{prefix}.drain_timeout_seconds: expected >= 0, got {DrainTimeout.TotalSeconds}");
        }

        if (StatsInterval <= TimeSpan.Zero)
        {
            errors.Add($"stats_interval_seconds: expected > 0 for MQTT stats, got {StatsInterval.TotalSeconds}");
        }

        errors.AddRange(HomeAssistant is null ? [$"{prefix}.home_assistant: expected an object, got null"] : HomeAssistant.Validate($"{prefix}.home_assistant"));
        return errors;

        void Positive(TimeSpan value, string field)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{prefix}.{field}: expected > 0, got {value.TotalSeconds}");
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
            foreach (var certificate in MqttTlsFiles.LoadCa(CaFile))
            {
                certificate.Dispose();
            }
        }

        if (CertFile is not null && KeyFile is not null)
        {
            using var client = MqttTlsFiles.LoadClientCertificate(CertFile, KeyFile);
        }
    }

    /// <summary>The shape rules (<see cref="Validate(string)"/>), then the TLS files (<see cref="ValidateFiles"/>): how the service checks the options it is given.</summary>
    /// <exception cref="ArgumentException">Every shape violation, or the first bad TLS file, naming the field.</exception>
    public void Validate()
    {
        SettingsErrors.ThrowIfAny(Validate("mqtt"));
        ValidateFiles();
    }

    /// <summary>Parses <c>mqtt://host:port</c> / <c>mqtts://host:port</c> (as given to <c>--broker</c>).</summary>
    public MqttSettings WithUri(string uri)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("mqtt" or "mqtts") || string.IsNullOrEmpty(parsed.Host))
        {
            throw new ArgumentException($"--broker: expected mqtt://host[:port] or mqtts://host[:port], got '{uri}'.");
        }

        var tls = parsed.Scheme == "mqtts";
        return this with { Host = parsed.Host, Port = parsed.IsDefaultPort || parsed.Port < 0 ? (tls ? 8883 : 1883) : parsed.Port, UseTls = tls };
    }
}
