using System.Text.Json;

namespace Edge.Runtime.Tests.Support;

internal static class HazardAssertions
{
    /// <summary>Checks one hazards payload against schema 1 (docs/mqtt.md) and returns its seq.</summary>
    public static long CheckSchema(byte[] payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var r = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, r.ValueKind);
        Assert.Equal(1, r.GetProperty("schema").GetInt32());
        Assert.Contains(r.GetProperty("type").GetString(), new[] { "new", "update", "end" });
        Assert.Equal(JsonValueKind.String, r.GetProperty("id").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r.GetProperty("ts").GetString());
        Assert.Equal(4, r.GetProperty("bbox").GetArrayLength());
        foreach (var key in new[] { "frame_id", "area_px", "area_frac", "score_max", "score_mean" })
        {
            Assert.Equal(JsonValueKind.Number, r.GetProperty(key).ValueKind);
        }

        Assert.True(r.GetProperty("on_road").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.Equal(JsonValueKind.String, r.GetProperty("model").ValueKind);
        Assert.Equal(JsonValueKind.String, r.GetProperty("method").ValueKind);
        return r.GetProperty("seq").GetInt64();
    }
}
