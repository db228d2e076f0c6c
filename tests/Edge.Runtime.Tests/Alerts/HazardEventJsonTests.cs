using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Alerts;

public sealed class HazardEventJsonTests
{
    private static readonly string[] RequiredKeys =
        ["schema", "seq", "id", "type", "ts", "frame_id", "bbox", "area_px", "area_frac", "score_max", "score_mean", "on_road", "model", "method"];

    [Fact]
    public void Payload_has_schema_1_fields_with_snake_case_names_and_types()
    {
        var e = TestEvents.Make(4, new GeoFix(45.4642, 9.19, 36.5, TestEvents.Epoch));
        using var doc = JsonDocument.Parse(HazardEventJson.Serialize(e, 77));
        var root = doc.RootElement;
        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal([.. RequiredKeys, "gps"], keys);
        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal(77, root.GetProperty("seq").GetInt64());
        Assert.Equal("h-1", root.GetProperty("id").GetString());
        Assert.Equal("update", root.GetProperty("type").GetString());
        Assert.Equal("2025-06-01T12:00:00.132Z", root.GetProperty("ts").GetString());
        Assert.Equal(1004, root.GetProperty("frame_id").GetInt64());
        Assert.Equal([14, 20, 30, 40], root.GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(1004, root.GetProperty("area_px").GetInt32());
        Assert.Equal(1004 / (512.0 * 1024.0), root.GetProperty("area_frac").GetDouble(), 12);
        Assert.Equal(0.9f, root.GetProperty("score_max").GetSingle());
        Assert.Equal(JsonValueKind.True, root.GetProperty("on_road").ValueKind);
        Assert.Equal("max_logit", root.GetProperty("method").GetString());
        var gps = root.GetProperty("gps");
        Assert.Equal(["lat", "lon", "speed_kmh"], gps.EnumerateObject().Select(p => p.Name));
        Assert.Equal(45.4642, gps.GetProperty("lat").GetDouble());
        Assert.Equal(36.5, gps.GetProperty("speed_kmh").GetDouble());
    }

    [Fact]
    public void Gps_is_omitted_when_unknown_and_speed_when_not_measured()
    {
        using var noGps = JsonDocument.Parse(HazardEventJson.Serialize(TestEvents.Make(0), 1));
        Assert.Equal(RequiredKeys, noGps.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("new", noGps.RootElement.GetProperty("type").GetString());

        using var noSpeed = JsonDocument.Parse(HazardEventJson.Serialize(TestEvents.Make(2, new GeoFix(1, 2, null, TestEvents.Epoch)), 1));
        Assert.Equal("end", noSpeed.RootElement.GetProperty("type").GetString());
        Assert.Equal(["lat", "lon"], noSpeed.RootElement.GetProperty("gps").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Timestamps_are_converted_to_utc()
    {
        var e = TestEvents.Make(0) with { Timestamp = new DateTimeOffset(2025, 6, 1, 14, 0, 0, 5, TimeSpan.FromHours(2)) };
        using var doc = JsonDocument.Parse(HazardEventJson.Serialize(e, 1));
        Assert.Equal("2025-06-01T12:00:00.005Z", doc.RootElement.GetProperty("ts").GetString());
    }

    [Fact]
    public void Parse_reads_back_what_serialize_wrote()
    {
        var e = TestEvents.Make(5, new GeoFix(-33.5, 151.25, null, TestEvents.Epoch.AddMilliseconds(165)));
        var (seq, back) = HazardEventJson.Parse(HazardEventJson.Serialize(e, 9));
        Assert.Equal(9, seq);
        Assert.Equal(e, back);
    }
}
