using Edge.Runtime.Hazards;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Hazards;

public sealed class RoadEnclosureTests
{
    private static readonly HazardSettings NoCleanup = new()
    {
        RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.Model, DilatePx = 0 },
        OpenKernelPx = 0,
        CloseKernelPx = 0,
        MinAreaPx = 1,
    };

    [Fact]
    public void Candidates_are_exactly_the_not_road_holes_the_road_surrounds()
    {
        var map = RoadBand(200, 100);
        ClearRoad(map, 100, 70, 10, 8);  // enclosed hole
        ClearRoad(map, 0, 60, 10, 10);   // touches the left border: not enclosed
        ClearRoad(map, 50, 95, 6, 5);    // touches the bottom border: not enclosed
        using var enclosure = new RoadEnclosure(new RoadEnclosureSettings { Enabled = true, CloseKernelFraction = 0 });

        enclosure.Compute(map);

        var candidates = Bytes(enclosure.Candidates);
        for (var y = 0; y < map.Height; y++)
        {
            for (var x = 0; x < map.Width; x++)
            {
                var inHole = x is >= 100 and < 110 && y is >= 70 and < 78;
                Assert.True((candidates[(y * map.Width) + x] == 255) == inHole, $"pixel ({x}, {y}): candidate {candidates[(y * map.Width) + x]}, expected {inHole}");
            }
        }
    }

    [Fact]
    public void Closing_sized_to_the_map_width_encloses_a_notch_open_through_a_narrow_gap()
    {
        var map = RoadBand(200, 100);
        ClearRoad(map, 90, 60, 20, 10); // a 20x10 notch ...
        ClearRoad(map, 98, 50, 4, 10);  // ... open to the sky above the road through a 4-px channel (2 px at half resolution)
        using var open = new RoadEnclosure(new RoadEnclosureSettings { Enabled = true, CloseKernelFraction = 0 });
        using var closed = new RoadEnclosure(new RoadEnclosureSettings { Enabled = true, CloseKernelFraction = 0.035 });
        Assert.Equal(7, closed.KernelSide(200));

        open.Compute(map);
        closed.Compute(map);

        Assert.Equal(0, Cv2.CountNonZero(open.Candidates));
        var candidates = Bytes(closed.Candidates);
        Assert.Equal(255, candidates[(65 * 200) + 100]); // centre of the notch
        Assert.Equal(0, candidates[(30 * 200) + 100]);   // sky stays outside
    }

    [Fact]
    public void Closing_at_half_resolution_adds_no_candidate_along_a_diagonal_or_odd_aligned_road_edge()
    {
        var map = new ScoreMap(201, 101);
        for (var y = 0; y < map.Height; y++)
        {
            var from = Math.Max(0, 150 - (2 * y)); // diagonal left edge, odd offsets on every other row
            map.Road.AsSpan((y * map.Width) + from, map.Width - from).Fill(255);
        }

        ClearRoad(map, 151, 71, 7, 5); // one enclosed hole, odd-aligned
        using var closed = new RoadEnclosure(new RoadEnclosureSettings { Enabled = true, CloseKernelFraction = 0.05 });

        closed.Compute(map);

        var candidates = Bytes(closed.Candidates);
        for (var y = 0; y < map.Height; y++)
        {
            for (var x = 0; x < map.Width; x++)
            {
                var inHole = x is >= 151 and < 158 && y is >= 71 and < 76;
                Assert.True((candidates[(y * map.Width) + x] == 255) == inHole, $"pixel ({x}, {y}): candidate {candidates[(y * map.Width) + x]}, expected {inHole}");
            }
        }
    }

    [Fact]
    public void Candidate_pixels_need_only_the_lower_candidate_threshold()
    {
        var map = RoadBand(200, 100);
        ClearRoad(map, 100, 70, 10, 8);
        Paint(map, 100, 70, 10, 8, 0.3f);  // weak score in the hole
        Paint(map, 20, 10, 10, 10, 0.9f);  // strong score in the sky, outside any candidate
        var hazards = new List<Hazard>();
        var road = new RoadAreaSettings { Mode = RoadAreaMode.None };

        using (var plain = new HazardExtractor(NoCleanup with { RoadArea = road }, 0.5f, new WholeFrameArea()))
        {
            plain.Extract(map, 200, 100, hazards);
            Assert.Equal([20], hazards.Select(h => h.Bbox.X));
        }

        var enclosure = new RoadEnclosureSettings { Enabled = true, CloseKernelFraction = 0, CandidateThreshold = 0.25 };
        using (var union = new HazardExtractor(NoCleanup with { RoadArea = road, RoadEnclosure = enclosure }, 0.5f, new WholeFrameArea()))
        {
            union.Extract(map, 200, 100, hazards);
            Assert.Equal([20, 100], hazards.Select(h => h.Bbox.X).Order());
            Assert.Equal(80, hazards.Single(h => h.Bbox.X == 100).AreaPx);
        }

        using (var only = new HazardExtractor(NoCleanup with { RoadArea = road, RoadEnclosure = enclosure with { CandidatesOnly = true } }, 0.5f, new WholeFrameArea()))
        {
            only.Extract(map, 200, 100, hazards);
            Assert.Equal([100], hazards.Select(h => h.Bbox.X));
        }

        using var strict = new HazardExtractor(NoCleanup with { RoadArea = road, RoadEnclosure = enclosure with { CandidateThreshold = 0.35 } }, 0.5f, new WholeFrameArea());
        strict.Extract(map, 200, 100, hazards);
        Assert.Equal([20], hazards.Select(h => h.Bbox.X));
    }

    [Fact]
    public void A_hole_wider_than_the_road_dilation_stays_inside_the_restricted_area()
    {
        var map = RoadBand(200, 100);
        ClearRoad(map, 60, 60, 60, 30); // 60 px wide: its centre is 30 px from the road, dilation is 2
        Paint(map, 60, 60, 60, 30, 0.9f);
        var hazards = new List<Hazard>();
        var settings = NoCleanup with { RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.Model, DilatePx = 2 } };
        using (var plain = new HazardExtractor(settings, 0.5f, new ModelRoadArea(2)))
        {
            plain.Extract(map, 200, 100, hazards);
            Assert.True(hazards.Sum(h => h.AreaPx) < 60 * 30);
        }

        using var withEnclosure = new HazardExtractor(settings with { RoadEnclosure = new RoadEnclosureSettings { Enabled = true, CloseKernelFraction = 0 } }, 0.5f, new ModelRoadArea(2));
        withEnclosure.Extract(map, 200, 100, hazards);
        var hazard = Assert.Single(hazards);
        Assert.Equal(60 * 30, hazard.AreaPx);
        Assert.True(hazard.OnRoad);
    }

    [Fact]
    public void Perspective_minimum_area_drops_a_small_hazard_near_the_camera_but_keeps_it_far_away()
    {
        var map = new ScoreMap(100, 100);
        Paint(map, 10, 45, 6, 5, 0.9f); // bottom row 50: r = (0.5 - 0.4) / 0.6
        Paint(map, 60, 90, 6, 5, 0.9f); // bottom row 95: r = (0.95 - 0.4) / 0.6
        var perspective = new PerspectiveMinAreaSettings { Enabled = true, HorizonFraction = 0.4, BaseAreaPx = 100 };
        var rule = new PerspectiveMinArea(perspective);
        Assert.Equal(100 * Math.Pow(0.1 / 0.6, 2), rule.MinAreaPx(50, 100), 9);
        Assert.Equal(100 * Math.Pow(0.55 / 0.6, 2), rule.MinAreaPx(95, 100), 9);
        Assert.Equal(0.0, rule.MinAreaPx(30, 100));
        Assert.Equal(100, rule.MinAreaPx(100, 100), 9);
        var hazards = new List<Hazard>();
        var none = new RoadAreaSettings { Mode = RoadAreaMode.None };

        using var extractor = new HazardExtractor(NoCleanup with { RoadArea = none, PerspectiveMinArea = perspective }, 0.5f, new WholeFrameArea());
        extractor.Extract(map, 100, 100, hazards); // both 30 px: 30 >= 2.8 far, 30 < 84 near

        Assert.Equal([10], hazards.Select(h => h.Bbox.X));
    }

    [Fact]
    public void Invalid_options_are_reported_with_their_field()
    {
        var settings = new HazardSettings
        {
            RoadEnclosure = new RoadEnclosureSettings { CloseKernelFraction = 0.5, CandidateThreshold = double.NaN },
            PerspectiveMinArea = new PerspectiveMinAreaSettings { HorizonFraction = 1, BaseAreaPx = -1 },
            Sml = new Edge.Runtime.Scoring.SmlPostProcessing { SmoothingKernel = 4, BoundaryIterations = 9 },
        };

        var errors = settings.Validate("hazards", 20).ToList();

        Assert.Contains(errors, e => e.StartsWith("hazards.road_enclosure.close_kernel_fraction: expected 0..0.2", StringComparison.Ordinal) && e.EndsWith("got 0.5", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.road_enclosure.candidate_threshold:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.perspective_min_area.horizon_fraction:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.perspective_min_area.base_area_px:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.sml.smoothing_kernel:", StringComparison.Ordinal) && e.EndsWith("got 4", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hazards.sml.boundary_iterations:", StringComparison.Ordinal));
        Assert.Empty(new HazardSettings().Validate("hazards", 20));
    }

    private static ScoreMap RoadBand(int width, int height)
    {
        var map = new ScoreMap(width, height);
        for (var y = height / 2; y < height; y++)
        {
            map.Road.AsSpan(y * width, width).Fill(255); // lower half is road
        }

        return map;
    }

    private static void ClearRoad(ScoreMap map, int x, int y, int w, int h)
    {
        for (var r = y; r < y + h; r++)
        {
            map.Road.AsSpan((r * map.Width) + x, w).Clear();
        }
    }

    private static void Paint(ScoreMap map, int x, int y, int w, int h, float value)
    {
        for (var r = y; r < y + h; r++)
        {
            map.Scores.AsSpan((r * map.Width) + x, w).Fill(value);
        }
    }

    private static byte[] Bytes(Mat mask)
    {
        mask.GetArray(out byte[] bytes);
        return bytes;
    }
}
