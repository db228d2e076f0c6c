namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>mqtt.home_assistant</c>: Home Assistant MQTT discovery (docs/mqtt.md).</summary>
public sealed record HomeAssistantSettings
{
    public const string DefaultDiscoveryPrefix = "homeassistant";

    /// <summary>Publish retained discovery configs on every (re)connect.</summary>
    public bool Enabled { get; init; }

    /// <summary>Home Assistant's discovery prefix (its MQTT integration default is <c>homeassistant</c>).</summary>
    public string DiscoveryPrefix { get; init; } = DefaultDiscoveryPrefix;

    /// <summary>Rule violations (field, expected, actual) under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (Enabled && (string.IsNullOrWhiteSpace(DiscoveryPrefix) || DiscoveryPrefix.IndexOfAny(['+', '#', ' ']) >= 0
            || DiscoveryPrefix.StartsWith('/') || DiscoveryPrefix.EndsWith('/')))
        {
            yield return $"{prefix}.discovery_prefix: expected a topic without wildcards, spaces or leading/trailing '/', got '{DiscoveryPrefix}'";
        }
    }
}
