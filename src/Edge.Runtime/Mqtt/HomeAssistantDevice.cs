namespace Edge.Runtime.Mqtt;

/// <summary>What the Home Assistant discovery configs say about the device (<see cref="MqttSettings.HomeAssistant"/>).</summary>
public sealed record HomeAssistantDevice
{
    /// <summary>Discovery prefix, e.g. <c>homeassistant</c>.</summary>
    public string DiscoveryPrefix { get; init; } = "homeassistant";

    /// <summary>Model name shown in the device block (the ONNX model card name).</summary>
    public string Model { get; init; } = "edgeseg";

    /// <summary>The device has a GPS receiver: discovery adds a <c>device_tracker</c> fed by the <c>gps</c> topic.</summary>
    public bool Gps { get; init; }

    /// <summary>Software version shown in the device block.</summary>
    public string SoftwareVersion { get; init; } = HomeAssistantDiscovery.RuntimeVersion;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DiscoveryPrefix) || DiscoveryPrefix.IndexOfAny(['+', '#', ' ']) >= 0 || DiscoveryPrefix.StartsWith('/') || DiscoveryPrefix.EndsWith('/'))
        {
            throw new ArgumentException($"MQTT Home Assistant discovery prefix: expected a topic without wildcards, spaces or leading/trailing '/', got '{DiscoveryPrefix}'.");
        }
    }
}
