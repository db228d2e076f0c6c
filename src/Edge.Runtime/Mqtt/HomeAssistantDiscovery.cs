using System.Buffers;
using System.Reflection;
using System.Text.Json;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery configs (pure): a <c>binary_sensor</c> "hazard" (on while the retained <c>state</c>
/// lists a hazard), <c>sensor</c>s for the active hazard count (from <c>state</c>) and the inference / capture fps
/// (from <c>stats</c>), an <c>image</c> showing the retained <c>snapshot</c> JPEG and, with
/// <see cref="HomeAssistantSettings.Gps"/>, a <c>device_tracker</c> whose position is the retained <c>gps</c> message
/// (json attributes <c>latitude</c>, <c>longitude</c>, <c>gps_accuracy</c>). All share one device block and use the
/// <c>available</c> topic for availability. Topics:
/// <c>&lt;discovery prefix&gt;/&lt;component&gt;/&lt;device id&gt;/&lt;object id&gt;/config</c>.
/// </summary>
public static class HomeAssistantDiscovery
{
    public const string HazardObjectId = "hazard";
    public const string HazardCountObjectId = "hazard_count";
    public const string InferenceFpsObjectId = "inference_fps";
    public const string CaptureFpsObjectId = "capture_fps";
    public const string SnapshotObjectId = "snapshot";
    public const string PositionObjectId = "position";

    /// <summary>The <c>snapshot</c> topic carries raw JPEG bytes.</summary>
    public const string SnapshotContentType = "image/jpeg";

    /// <summary>The state payload lists active hazards in <c>hazards</c> and their number in <c>count</c> (docs/mqtt.md).</summary>
    public const string HazardTemplate = "{{ 'ON' if value_json.count | int(0) > 0 else 'OFF' }}";

    public const string HazardCountTemplate = "{{ value_json.count | int(0) }}";

    public const string InferenceFpsTemplate = "{{ value_json.inference_fps | round(2) }}";

    public const string CaptureFpsTemplate = "{{ value_json.capture_fps | round(2) }}";

    /// <summary>Informational version of the runtime assembly (without a +commit suffix).</summary>
    public static string RuntimeVersion { get; } = ReadVersion();

    /// <summary>The discovery config topic of one entity.</summary>
    public static string ConfigTopic(string discoveryPrefix, string component, string deviceId, string objectId) =>
        $"{discoveryPrefix}/{component}/{deviceId}/{objectId}/config";

    /// <summary>All discovery configs of a device, in publish order.</summary>
    public static IReadOnlyList<RetainedMessage> Configs(MqttTopics topics, string deviceId, HomeAssistantSettings device)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(device);
        var configs = new List<RetainedMessage>
        {
            new(ConfigTopic(device.DiscoveryPrefix, "binary_sensor", deviceId, HazardObjectId), Entity(topics, deviceId, device, HazardObjectId, "Road hazard", w =>
            {
                State(w, topics.State, HazardTemplate);
                w.WriteString("device_class", "safety");
                w.WriteString("payload_on", "ON");
                w.WriteString("payload_off", "OFF");
                w.WriteString("icon", "mdi:alert-octagon");
            })),
            new(ConfigTopic(device.DiscoveryPrefix, "sensor", deviceId, HazardCountObjectId), Entity(topics, deviceId, device, HazardCountObjectId, "Active hazards", w =>
            {
                State(w, topics.State, HazardCountTemplate);
                w.WriteString("state_class", "measurement");
                w.WriteString("unit_of_measurement", "hazards");
                w.WriteString("icon", "mdi:counter");
            })),
            new(ConfigTopic(device.DiscoveryPrefix, "sensor", deviceId, InferenceFpsObjectId), Entity(topics, deviceId, device, InferenceFpsObjectId, "Inference fps", w => FpsSensor(w, topics.Stats, InferenceFpsTemplate))),
            new(ConfigTopic(device.DiscoveryPrefix, "sensor", deviceId, CaptureFpsObjectId), Entity(topics, deviceId, device, CaptureFpsObjectId, "Capture fps", w => FpsSensor(w, topics.Stats, CaptureFpsTemplate))),
            new(ConfigTopic(device.DiscoveryPrefix, "image", deviceId, SnapshotObjectId), Entity(topics, deviceId, device, SnapshotObjectId, "Hazard snapshot", w =>
            {
                w.WriteString("image_topic", topics.Snapshot);
                w.WriteString("content_type", SnapshotContentType);
                w.WriteString("icon", "mdi:camera");
            })),
        };
        if (device.Gps)
        {
            configs.Add(new(ConfigTopic(device.DiscoveryPrefix, "device_tracker", deviceId, PositionObjectId), Entity(topics, deviceId, device, PositionObjectId, "Position", w =>
            {
                w.WriteString("json_attributes_topic", topics.Gps);
                w.WriteString("source_type", "gps");
                w.WriteString("icon", "mdi:car");
            })));
        }

        return configs;
    }

    private static void State(Utf8JsonWriter w, string stateTopic, string template)
    {
        w.WriteString("state_topic", stateTopic);
        w.WriteString("value_template", template);
    }

    private static void FpsSensor(Utf8JsonWriter w, string stateTopic, string template)
    {
        State(w, stateTopic, template);
        w.WriteString("state_class", "measurement");
        w.WriteString("unit_of_measurement", "fps");
        w.WriteString("entity_category", "diagnostic");
        w.WriteString("icon", "mdi:speedometer");
    }

    private static byte[] Entity(MqttTopics topics, string deviceId, HomeAssistantSettings device, string objectId, string name, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("unique_id", $"edgeseg_{deviceId}_{objectId}");
            w.WriteString("object_id", $"edgeseg_{deviceId}_{objectId}");
            w.WriteString("availability_topic", topics.Available);
            w.WriteString("payload_available", MqttTopics.Online);
            w.WriteString("payload_not_available", MqttTopics.Offline);
            w.WriteNumber("qos", 1);
            body(w);
            w.WriteStartObject("device");
            w.WriteStartArray("identifiers");
            w.WriteStringValue($"edgeseg_{deviceId}");
            w.WriteEndArray();
            w.WriteString("name", $"EdgeSeg {deviceId}");
            w.WriteString("manufacturer", "EdgeSeg");
            w.WriteString("model", device.Model);
            w.WriteString("sw_version", device.SoftwareVersion);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string ReadVersion()
    {
        var version = typeof(HomeAssistantDiscovery).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(HomeAssistantDiscovery).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
