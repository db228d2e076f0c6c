using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Edge.Runtime.Alerts;

/// <summary>
/// The wire format of <c>edgeseg/&lt;device&gt;/hazards</c> (schema 1, documented in docs/mqtt.md): one UTF-8 JSON object per
/// lifecycle change, snake_case, <c>gps</c> omitted when unknown. The alert queue stores exactly these bytes.
/// </summary>
public static class HazardEventJson
{
    public const int SchemaVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static string TypeName(HazardEventType type) => type switch
    {
        HazardEventType.New => "new",
        HazardEventType.Update => "update",
        HazardEventType.End => "end",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Hazard event type: expected New, Update or End."),
    };

    public static HazardEventType ParseType(string name) => name switch
    {
        "new" => HazardEventType.New,
        "update" => HazardEventType.Update,
        "end" => HazardEventType.End,
        _ => throw new FormatException($"Hazard event 'type': expected new, update or end, got '{name}'."),
    };

    /// <summary>ISO-8601 UTC with milliseconds, e.g. <c>2025-06-01T12:34:56.789Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Serializes <paramref name="hazardEvent"/> with its queue sequence number <paramref name="sequence"/>.</summary>
    public static byte[] Serialize(HazardEvent hazardEvent, long sequence)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", SchemaVersion);
            w.WriteNumber("seq", sequence);
            w.WriteString("id", hazardEvent.Id);
            w.WriteString("type", TypeName(hazardEvent.Type));
            w.WriteString("ts", FormatTimestamp(hazardEvent.Timestamp));
            w.WriteNumber("frame_id", hazardEvent.FrameId);
            WriteBox(w, "bbox", hazardEvent.Bbox);
            w.WriteNumber("area_px", hazardEvent.AreaPx);
            w.WriteNumber("area_frac", hazardEvent.AreaFrac);
            w.WriteNumber("score_max", hazardEvent.ScoreMax);
            w.WriteNumber("score_mean", hazardEvent.ScoreMean);
            w.WriteBoolean("on_road", hazardEvent.OnRoad);
            w.WriteString("model", hazardEvent.Model);
            w.WriteString("method", hazardEvent.Method);
            if (hazardEvent.Gps is { } gps)
            {
                w.WriteStartObject("gps");
                w.WriteNumber("lat", gps.Latitude);
                w.WriteNumber("lon", gps.Longitude);
                if (gps.SpeedKmh is { } speed)
                {
                    w.WriteNumber("speed_kmh", speed);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload back (sequence and event). The GPS fix timestamp is not on the wire: it is set to the event time.</summary>
    public static (long Sequence, HazardEvent Event) Parse(ReadOnlySpan<byte> payload)
    {
        using var doc = JsonDocument.Parse(payload.ToArray());
        var root = doc.RootElement;
        var schema = root.GetProperty("schema").GetInt32();
        if (schema != SchemaVersion)
        {
            throw new FormatException($"Hazard event 'schema': expected {SchemaVersion}, got {schema}.");
        }

        var ts = DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var bbox = root.GetProperty("bbox");
        GeoFix? gps = null;
        if (root.TryGetProperty("gps", out var g))
        {
            double? speed = g.TryGetProperty("speed_kmh", out var s) ? s.GetDouble() : null;
            gps = new GeoFix(g.GetProperty("lat").GetDouble(), g.GetProperty("lon").GetDouble(), speed, ts);
        }

        var e = new HazardEvent
        {
            Id = root.GetProperty("id").GetString()!,
            Type = ParseType(root.GetProperty("type").GetString()!),
            Timestamp = ts,
            FrameId = root.GetProperty("frame_id").GetInt64(),
            Bbox = new BoundingBox(bbox[0].GetInt32(), bbox[1].GetInt32(), bbox[2].GetInt32(), bbox[3].GetInt32()),
            AreaPx = root.GetProperty("area_px").GetInt32(),
            AreaFrac = root.GetProperty("area_frac").GetDouble(),
            ScoreMax = root.GetProperty("score_max").GetSingle(),
            ScoreMean = root.GetProperty("score_mean").GetSingle(),
            OnRoad = root.GetProperty("on_road").GetBoolean(),
            Model = root.GetProperty("model").GetString()!,
            Method = root.GetProperty("method").GetString()!,
            Gps = gps,
        };
        return (root.GetProperty("seq").GetInt64(), e);
    }

    internal static void WriteBox(Utf8JsonWriter w, string name, BoundingBox box)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(box.X);
        w.WriteNumberValue(box.Y);
        w.WriteNumberValue(box.Width);
        w.WriteNumberValue(box.Height);
        w.WriteEndArray();
    }
}
