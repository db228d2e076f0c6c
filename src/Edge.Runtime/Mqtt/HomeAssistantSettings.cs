using System.Text.Json.Serialization;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// Settings <c>mqtt.home_assistant</c>: Home Assistant MQTT discovery (docs/mqtt.md), and what the discovery configs say
/// about the device (<see cref="Model"/>, <see cref="SoftwareVersion"/>: set by the runtime, not by the file).
/// </summary>
public sealed record HomeAssistantSettings
{
    public const string DefaultDiscoveryPrefix = "homeassistant";

    /// <summary>Publish retained discovery configs on every (re)connect.</summary>
    public bool Enabled { get; init; }

    /// <summary>Home Assistant's discovery prefix (its MQTT integration default is <c>homeassistant</c>).</summary>
    public string DiscoveryPrefix { get; init; } = DefaultDiscoveryPrefix;

    /// <summary>Model name shown in the device block: the ONNX model card name (set by the composition root).</summary>
    [JsonIgnore]
    public string Model { get; init; } = "edgeseg";

    /// <summary>The device has a GPS receiver (<c>gps.enabled</c>, set by the composition root): discovery adds a <c>device_tracker</c> fed by the <c>gps</c> topic.</summary>
    [JsonIgnore]
    public bool Gps { get; init; }

    /// <summary>Software version shown in the device block.</summary>
    [JsonIgnore]
    public string SoftwareVersion { get; init; } = HomeAssistantDiscovery.RuntimeVersion;

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
