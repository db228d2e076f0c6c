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
    public void A_hazard_the_network_labels_mostly_as_a_known_object_is_dropped_and_an_unknown_one_beside_it_kept()
    {
        var map = new ScoreMap(100, 50);
        Paint(map, 10, 5, 20, 10, 0.9f);  // labelled car (13) on 60 % of its pixels
        Paint(map, 60, 30, 10, 10, 0.9f); // labelled car on 40 %
        PaintLabels(map, 10, 5, 12, 10, 13);
        PaintLabels(map, 60, 30, 4, 10, 13);
        map.HasLabels = true;
        var settings = NoCleanup with { KnownObjects = new KnownObjectsSettings { Enabled = true } };
        using var extractor = new HazardExtractor(settings, 0.5f, new WholeFrameArea());
        var hazards = new List<Hazard>();

        extractor.Extract(map, 100, 50, hazards);

        Assert.Equal(new BoundingBox(60, 30, 10, 10), Assert.Single(hazards).Bbox);
        Assert.True(extractor.NeedsLabels);

        using var lenient = new HazardExtractor(settings with { KnownObjects = new KnownObjectsSettings { Enabled = true, MinFraction = 0.7 } }, 0.5f, new WholeFrameArea());
        lenient.Extract(map, 100, 50, hazards);
        Assert.Equal(2, hazards.Count);

        using var otherClasses = new HazardExtractor(settings with { KnownObjects = new KnownObjectsSettings { Enabled = true, Classes = [11, 12] } }, 0.5f, new WholeFrameArea());
        otherClasses.Extract(map, 100, 50, hazards);
        Assert.Equal(2, hazards.Count);
    }

    [Fact]
    public void Known_object_filter_without_labels_in_the_map_is_an_error_naming_the_setting()
    {
        var map = new ScoreMap(20, 10);
        Paint(map, 2, 2, 5, 5, 0.9f);
        using var extractor = new HazardExtractor(NoCleanup with { KnownObjects = new KnownObjectsSettings { Enabled = true } }, 0.5f, new WholeFrameArea());
        var ex = Assert.Throws<InvalidOperationException>(() => extractor.Extract(map, 20, 10, new List<Hazard>()));
        Assert.StartsWith("hazards.known_objects:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hazard_whose_peak_score_stays_below_min_peak_score_is_dropped_with_its_extent_from_the_threshold()
    {
        var map = new ScoreMap(100, 50);
        Paint(map, 10, 5, 20, 10, 0.6f);
        map.Scores[(8 * 100) + 12] = 0.95f; // one strong pixel: the whole weak region is the hazard
        Paint(map, 60, 30, 10, 10, 0.7f);   // weak everywhere
        using var extractor = new HazardExtractor(NoCleanup with { MinPeakScore = 0.9 }, 0.5f, new WholeFrameArea());
        var hazards = new List<Hazard>();

        extractor.Extract(map, 100, 50, hazards);

        var kept = Assert.Single(hazards);
        Assert.Equal(new BoundingBox(10, 5, 20, 10), kept.Bbox);
        Assert.Equal(0.95f, kept.ScoreMax);
    }

    [Fact]
    public void A_thin_diagonal_sliver_fails_min_box_fill_and_a_compact_blob_passes()
    {
        var map = new ScoreMap(100, 50);
        for (var i = 0; i < 30; i++)
        {
            map.Scores.AsSpan(((10 + i) * 100) + 5 + i, 2).Fill(0.9f); // 60 pixels in a 31x30 box: fill 0.065
        }

        Paint(map, 60, 10, 10, 10, 0.9f);  // 100 pixels in a 10x10 box: fill 1
        var hazards = new List<Hazard>();
        using (var off = new HazardExtractor(NoCleanup, 0.5f, new WholeFrameArea()))
        {
            off.Extract(map, 100, 50, hazards);
            Assert.Equal(2, hazards.Count);
        }

        using var fill = new HazardExtractor(NoCleanup with { MinBoxFill = 0.25 }, 0.5f, new WholeFrameArea());
        fill.Extract(map, 100, 50, hazards);
        Assert.Equal(new BoundingBox(60, 10, 10, 10), Assert.Single(hazards).Bbox);
        Assert.Contains(new HazardSettings { MinBoxFill = 1.5 }.Validate("hazards", 20), e => e.StartsWith("hazards.min_box_fill: expected 0..1", StringComparison.Ordinal));
    }

    [Fact]
    public void Reported_mask_holds_exactly_the_pixels_of_the_reported_hazards()
    {
        var map = new ScoreMap(100, 50);
        Paint(map, 10, 5, 20, 10, 0.9f); // kept
        Paint(map, 60, 30, 3, 3, 0.9f);  // below min_area_px
        using var extractor = new HazardExtractor(NoCleanup with { MinAreaPx = 50 }, 0.5f, new WholeFrameArea());
        var hazards = new List<Hazard>();

        extractor.Extract(map, 100, 50, hazards);
        var mask = extractor.ReportedMask().ToArray();

        Assert.Single(hazards);
        for (var y = 0; y < 50; y++)
        {
            for (var x = 0; x < 100; x++)
            {
                var inKept = x is >= 10 and < 30 && y is >= 5 and < 15;
                Assert.Equal(inKept ? (byte)255 : (byte)0, mask[(y * 100) + x]);
            }
        }

        map.Scores.AsSpan().Clear();
        extractor.Extract(map, 100, 50, hazards);
        Assert.All(extractor.ReportedMask().ToArray(), b => Assert.Equal(0, b));

        // Next frame: the component that was reported is now below min_area_px, a new one is reported.
        Paint(map, 10, 5, 5, 5, 0.9f);
        Paint(map, 60, 30, 10, 10, 0.9f);
        extractor.Extract(map, 100, 50, hazards);
        mask = extractor.ReportedMask().ToArray();
        Assert.Equal(new BoundingBox(60, 30, 10, 10), Assert.Single(hazards).Bbox);
        Assert.Equal(100, mask.Count(b => b == 255));
        Assert.Equal(0, mask[(7 * 100) + 12]);
    }

    [Fact]
    public void Known_object_and_peak_settings_are_validated_naming_the_field()
    {
        var errors = new HazardSettings
        {
            MinPeakScore = double.NaN,
            KnownObjects = new KnownObjectsSettings { Enabled = true, Classes = [3, 20], MinFraction = 0 },
        }.Validate("hazards", 20).ToList();
        Assert.Contains(errors, e => e.StartsWith("hazards.min_peak_score: expected a finite score", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.known_objects.classes: expected class indices 0..19", StringComparison.Ordinal) && e.Contains("got [3, 20]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.known_objects.min_fraction: expected 0 < value <= 1", StringComparison.Ordinal));
        Assert.Empty(new HazardSettings { KnownObjects = new KnownObjectsSettings { Classes = [99] } }.Validate("hazards", 20)); // off: not checked
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

    private static void PaintLabels(ScoreMap map, int x, int y, int w, int h, byte cls)
    {
        for (var r = y; r < y + h; r++)
        {
            map.Labels.AsSpan((r * map.Width) + x, w).Fill(cls);
        }
    }
}
