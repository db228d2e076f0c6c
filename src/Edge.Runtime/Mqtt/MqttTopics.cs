namespace Edge.Runtime.Mqtt;

/// <summary>The topics of one device: <c>&lt;prefix&gt;/&lt;device id&gt;/{available,hazards,state,stats,snapshot}</c> (docs/mqtt.md).</summary>
public sealed record MqttTopics(string Available, string Hazards, string State, string Stats, string Snapshot)
{
    public const string Online = "online";
    public const string Offline = "offline";

    /// <summary><c>&lt;prefix&gt;/&lt;device id&gt;</c>: the level under which every topic of this device lies.</summary>
    public string Root => Available[..Available.LastIndexOf('/')];

    /// <summary><c>&lt;prefix&gt;/&lt;device id&gt;/gps</c>: the latest GPS position (retained), Home Assistant's device_tracker attributes.</summary>
    public string Gps => $"{Root}/gps";

    public static MqttTopics For(string prefix, string deviceId)
    {
        var root = $"{prefix}/{deviceId}";
        return new MqttTopics($"{root}/available", $"{root}/hazards", $"{root}/state", $"{root}/stats", $"{root}/snapshot");
    }
}
