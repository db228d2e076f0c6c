using Edge.Runtime.Hazards;

namespace Edge.Runtime.Tests.Hazards;

public sealed class EgoRoadTests
{
    [Fact]
    public void Road_pixels_not_connected_to_the_bottom_band_are_cleared_and_the_ego_road_is_kept_whole()
    {
        var map = new ScoreMap(200, 100);
        FillRoad(map, 0, 50, 200, 50);   // the road ahead, reaching the bottom row
        FillRoad(map, 20, 5, 30, 10);    // "road" in the sky
        FillRoad(map, 150, 40, 5, 5);    // a speck above the road, not touching it
        FillRoad(map, 100, 45, 3, 5);    // touches the road (rows 45..49 meet row 50): kept
        var before = (byte[])map.Road.Clone();
        using var ego = new EgoRoad(0.25);

        ego.Apply(map);

        for (var y = 0; y < map.Height; y++)
        {
            for (var x = 0; x < map.Width; x++)
            {
                var i = (y * map.Width) + x;
                var expected = y >= 50 || (x is >= 100 and < 103 && y >= 45) ? (byte)255 : (byte)0;
                Assert.True(map.Road[i] == expected, $"pixel ({x}, {y}): {map.Road[i]} (was {before[i]}), expected {expected}");
            }
        }
    }

    [Fact]
    public void A_road_component_must_reach_the_bottom_band_to_count()
    {
        var map = new ScoreMap(100, 100);
        FillRoad(map, 0, 40, 100, 30); // rows 40..69: ends above the bottom quarter (rows 75..99)
        using (var quarter = new EgoRoad(0.25))
        {
            quarter.Apply(map);
        }

        Assert.All(map.Road, r => Assert.Equal(0, r));

        FillRoad(map, 0, 40, 100, 30);
        using var third = new EgoRoad(0.35); // rows 65..99: reached
        third.Apply(map);
        Assert.Equal(100 * 30, map.Road.Count(r => r == 255));
    }

    [Theory]
    [InlineData(74, false)] // lowest row 74: one above the band (rows 75..99 of 100 at 0.25)
    [InlineData(75, true)]  // lowest row 75: the band's first row
    public void A_component_is_kept_exactly_when_its_lowest_row_is_in_the_band(int lowestRow, bool kept)
    {
        var map = new ScoreMap(50, 100);
        FillRoad(map, 10, lowestRow - 9, 20, 10);
        using var ego = new EgoRoad(0.25);

        ego.Apply(map);

        Assert.Equal(kept ? 200 : 0, map.Road.Count(r => r == 255));
    }

    [Fact]
    public void Extractor_with_ego_road_drops_a_hazard_on_road_scattered_over_the_sky()
    {
        var map = new ScoreMap(200, 100);
        FillRoad(map, 0, 50, 200, 50);
        FillRoad(map, 20, 5, 30, 10);                    // sky "road"
        Paint(map, 25, 7, 10, 5, 0.9f);                  // anomalous pixels on the sky road
        Paint(map, 120, 70, 10, 10, 0.9f);               // an obstacle on the real road
        var settings = new HazardSettings { OpenKernelPx = 0, CloseKernelPx = 0, MinAreaPx = 1, RoadArea = new RoadAreaSettings { DilatePx = 0 } };
        var hazards = new List<Hazard>();
        using (var plain = new HazardExtractor(settings, 0.5f, new ModelRoadArea(0)))
        {
            plain.Extract(ScoreMapCopy(map), 200, 100, hazards);
            Assert.Equal(2, hazards.Count);
        }

        using var withEgo = new HazardExtractor(settings with { RoadArea = settings.RoadArea with { EgoRoad = true } }, 0.5f, new ModelRoadArea(0));
        withEgo.Extract(map, 200, 100, hazards);
        Assert.Equal(new Edge.Runtime.Alerts.BoundingBox(120, 70, 10, 10), Assert.Single(hazards).Bbox);
    }

    [Fact]
    public void Road_beyond_keeps_an_obstacle_with_road_behind_it_and_drops_the_notch_at_the_road_end()
    {
        var map = new ScoreMap(200, 100);
        FillRoad(map, 40, 30, 120, 70);   // road from row 30 (its far end) to the bottom
        Paint(map, 90, 30, 20, 4, 0.9f);  // the notch at the far end: nothing but sky above it
        Paint(map, 90, 60, 10, 10, 0.9f); // an obstacle with road above it
        var settings = new HazardSettings { OpenKernelPx = 0, CloseKernelPx = 0, MinAreaPx = 1, RoadArea = new RoadAreaSettings { DilatePx = 0, Restrict = false } };
        var hazards = new List<Hazard>();
        using (var off = new HazardExtractor(settings, 0.5f, new ModelRoadArea(0)))
        {
            off.Extract(map, 200, 100, hazards);
            Assert.Equal(2, hazards.Count);
        }

        using var beyond = new HazardExtractor(settings with { RoadBeyondRows = 8 }, 0.5f, new ModelRoadArea(0));
        beyond.Extract(map, 200, 100, hazards);
        Assert.Equal(new Edge.Runtime.Alerts.BoundingBox(90, 60, 10, 10), Assert.Single(hazards).Bbox);
        Assert.Contains(new HazardSettings { RoadBeyondRows = -1 }.Validate("hazards", 20), e => e.StartsWith("hazards.road_beyond_rows: expected 0..256", StringComparison.Ordinal));
    }

    [Fact]
    public void Bottom_fraction_is_validated_naming_the_field()
    {
        var errors = new RoadAreaSettings { EgoRoad = true, EgoRoadBottomFraction = 0 }.Validate("hazards.road_area", 20).ToList();
        Assert.Contains(errors, e => e.StartsWith("hazards.road_area.ego_road_bottom_fraction: expected 0 < value <= 1", StringComparison.Ordinal));
    }

    private static ScoreMap ScoreMapCopy(ScoreMap map)
    {
        var copy = new ScoreMap(map.Width, map.Height);
        map.Scores.CopyTo(copy.Scores, 0);
        map.Road.CopyTo(copy.Road, 0);
        return copy;
    }

    private static void FillRoad(ScoreMap map, int x, int y, int w, int h)
    {
        for (var r = y; r < y + h; r++)
        {
            map.Road.AsSpan((r * map.Width) + x, w).Fill(255);
        }
    }

    private static void Paint(ScoreMap map, int x, int y, int w, int h, float value)
    {
        for (var r = y; r < y + h; r++)
        {
            map.Scores.AsSpan((r * map.Width) + x, w).Fill(value);
        }
    }
}
