using System.Buffers;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Tracking;

namespace Edge.Runtime.Mqtt;

/// <summary>JSON bodies of the retained <c>state</c>, the periodic <c>stats</c> and the retained <c>gps</c> messages (schema 1, docs/mqtt.md).</summary>
public static class MqttPayloads
{
    public const int SchemaVersion = 1;

    /// <summary>The retained <c>state</c>: the confirmed hazards (<c>last_seen</c> = <paramref name="lastSeen"/>, the time of the frame that changed the set) at <paramref name="now"/>.</summary>
    public static byte[] State(IReadOnlyList<ActiveHazard> active, DateTimeOffset lastSeen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(active);
        return Write(w =>
        {
            w.WriteNumber("schema", SchemaVersion);
            w.WriteString("ts", HazardEventJson.FormatTimestamp(now));
            w.WriteNumber("count", active.Count);
            w.WriteStartArray("hazards");
            foreach (var h in active)
            {
                w.WriteStartObject();
                w.WriteString("id", h.Id);
                HazardEventJson.WriteBox(w, "bbox", h.Latest.Bbox);
                w.WriteNumber("area_frac", h.Latest.AreaFrac);
                w.WriteNumber("score_max", h.Latest.ScoreMax);
                w.WriteBoolean("on_road", h.Latest.OnRoad);
                w.WriteString("first_seen", HazardEventJson.FormatTimestamp(h.Since));
                w.WriteString("last_seen", HazardEventJson.FormatTimestamp(lastSeen));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    public static byte[] Stats(RuntimeStats stats, DateTimeOffset now, TimeSpan uptime, int alertsPending, long alertsPublished)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return Write(w =>
        {
            w.WriteNumber("schema", SchemaVersion);
            w.WriteString("ts", HazardEventJson.FormatTimestamp(now));
            w.WriteNumber("uptime_s", Math.Round(uptime.TotalSeconds, 3));
            w.WriteNumber("capture_fps", stats.CaptureFps);
            w.WriteNumber("inference_fps", stats.InferenceFps);
            w.WriteStartObject("latency_ms");
            foreach (var (stage, l) in stats.LatencyMs)
            {
                w.WriteStartObject(stage);
                w.WriteNumber("p50", l.P50Ms);
                w.WriteNumber("p95", l.P95Ms);
                w.WriteNumber("p99", l.P99Ms);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteNumber("frames_dropped", stats.FramesDropped);
            w.WriteString("provider", stats.Provider);
            w.WriteString("model", stats.Model);
            w.WriteNumber("alerts_pending", alertsPending);
            w.WriteNumber("alerts_published", alertsPublished);
        });
    }

    /// <summary>The retained <c>gps</c> message: Home Assistant device_tracker attributes (<c>gps_accuracy</c> only when the receiver reports it).</summary>
    public static byte[] Position(GeoFix fix)
    {
        ArgumentNullException.ThrowIfNull(fix);
        return Write(w =>
        {
            w.WriteNumber("latitude", fix.Latitude);
            w.WriteNumber("longitude", fix.Longitude);
            if (fix.AccuracyMeters is { } accuracy)
            {
                w.WriteNumber("gps_accuracy", accuracy);
            }

            if (fix.SpeedKmh is { } speed)
            {
                w.WriteNumber("speed_kmh", speed);
            }

            w.WriteString("ts", HazardEventJson.FormatTimestamp(fix.Timestamp));
        });
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
