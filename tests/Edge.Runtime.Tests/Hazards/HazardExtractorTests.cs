using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;

namespace Edge.Runtime.Tests.Hazards;

public sealed class HazardExtractorTests
{
    private static readonly HazardSettings NoCleanup = new()
    {
        RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.None },
        OpenKernelPx = 0,
        CloseKernelPx = 0,
        MinAreaPx = 1,
    };

    [Fact]
    public void Finds_each_component_with_bbox_scaled_to_source_pixels_and_its_scores()
    {
        var map = new ScoreMap(100, 50);
        Paint(map, 10, 5, 20, 10, 0.9f);   // 20x10 block
        Paint(map, 60, 30, 10, 10, 0.6f);  // 10x10 block
        map.Scores[(7 * 100) + 15] = 0.95f;
        using var extractor = new HazardExtractor(NoCleanup, 0.5f, new WholeFrameArea());
        var hazards = new List<Hazard>();

        extractor.Extract(map, 400, 200, hazards); // 4x in both axes

        Assert.Equal(2, hazards.Count);
        var big = hazards.Single(h => h.Bbox.X == 40);
        Assert.Equal(new BoundingBox(40, 20, 80, 40), big.Bbox);
        Assert.Equal(200 * 16, big.AreaPx);
        Assert.Equal(200 * 16 / (400.0 * 200), big.AreaFrac, 9);
        Assert.Equal(0.95f, big.ScoreMax);
        Assert.Equal(((199 * 0.9f) + 0.95f) / 200, big.ScoreMean, 5);
        Assert.Equal((19.5 + 0.5) * 4, big.CentroidX, 6); // centre of columns 10..29 is 19.5; pixel centres scale as (x + 0.5) * 4
        Assert.False(big.OnRoad);
        var small = hazards.Single(h => h.Bbox.X == 240);
        Assert.Equal(new BoundingBox(240, 120, 40, 40), small.Bbox);
        Assert.Equal(0.6f, small.ScoreMax);
    }

    [Fact]
    public void Minimum_area_is_in_source_pixels()
    {
        var map = new ScoreMap(100, 50);
        Paint(map, 10, 5, 5, 5, 0.9f); // 25 map pixels = 400 source pixels at 4x
        var hazards = new List<Hazard>();
        using (var keep = new HazardExtractor(NoCleanup with { MinAreaPx = 400 }, 0.5f, new WholeFrameArea()))
        {
            keep.Extract(map, 400, 200, hazards);
            Assert.Single(hazards);
        }

        using var drop = new HazardExtractor(NoCleanup with { MinAreaPx = 401 }, 0.5f, new WholeFrameArea());
        drop.Extract(map, 400, 200, hazards);
        Assert.Empty(hazards);
    }

    [Fact]
    public void Opening_removes_isolated_pixels()
    {
        var map = new ScoreMap(64, 64);
        Paint(map, 20, 20, 12, 12, 0.9f);
        map.Scores[(2 * 64) + 2] = 0.9f;
        var hazards = new List<Hazard>();
        using var extractor = new HazardExtractor(NoCleanup with { OpenKernelPx = 3 }, 0.5f, new WholeFrameArea());
        extractor.Extract(map, 64, 64, hazards);
        Assert.Single(hazards);
        Assert.Equal(20, hazards[0].Bbox.X);
    }

    [Fact]
    public void Model_road_area_keeps_only_hazards_on_the_dilated_road()
    {
        var map = new ScoreMap(100, 60);
        for (var y = 40; y < 60; y++)
        {
            map.Road.AsSpan(y * 100, 100).Fill(255); // bottom third is road
        }

        Paint(map, 40, 33, 10, 10, 0.9f); // touches the road after dilation (rows 33..42)
        Paint(map, 40, 2, 10, 10, 0.9f);  // in the sky
        var settings = NoCleanup with { RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.Model, DilatePx = 10 } };
        using var extractor = new HazardExtractor(settings, 0.5f, new ModelRoadArea(10));
        var hazards = new List<Hazard>();
        extractor.Extract(map, 100, 60, hazards);

        var hazard = Assert.Single(hazards);
        Assert.Equal(33, hazard.Bbox.Y);
        Assert.True(hazard.OnRoad);
    }

    [Fact]
    public void Unrestricted_polygon_area_only_marks_on_road()
    {
        var map = new ScoreMap(100, 100);
        Paint(map, 10, 60, 10, 10, 0.9f); // inside the lower-half polygon
        Paint(map, 10, 10, 10, 10, 0.9f); // outside
        var polygon = new List<IReadOnlyList<double>> { new[] { 0.0, 0.5 }, new[] { 1.0, 0.5 }, new[] { 1.0, 1.0 }, new[] { 0.0, 1.0 } };
        var settings = NoCleanup with { RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.Polygon, Polygon = polygon, Restrict = false } };
        using var extractor = new HazardExtractor(settings, 0.5f, new PolygonRoadArea(polygon));
        var hazards = new List<Hazard>();
        extractor.Extract(map, 100, 100, hazards);

        Assert.Equal(2, hazards.Count);
        Assert.True(hazards.Single(h => h.Bbox.Y == 60).OnRoad);
        Assert.False(hazards.Single(h => h.Bbox.Y == 10).OnRoad);
    }

    [Fact]
    public void Nothing_above_threshold_gives_no_hazards()
    {
        var map = new ScoreMap(32, 32);
        map.Scores.AsSpan().Fill(0.49f);
        using var extractor = new HazardExtractor(NoCleanup, 0.5f, new WholeFrameArea());
        var hazards = new List<Hazard> { default };
        extractor.Extract(map, 32, 32, hazards);
        Assert.Empty(hazards);
    }

    private static void Paint(ScoreMap map, int x, int y, int w, int h, float value)
    {
        for (var r = y; r < y + h; r++)
        {
            map.Scores.AsSpan((r * map.Width) + x, w).Fill(value);
        }
    }
}
