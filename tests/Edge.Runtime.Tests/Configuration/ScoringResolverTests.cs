using System.Text.Json.Nodes;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Models;
using Edge.Runtime.Tests.Models;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Configuration;

public sealed class ScoringResolverTests
{
    private static readonly OperatingPoint Point = new()
    {
        Scorer = "MaxLogit",
        Temperature = 2.0,
        Threshold = -1.25,
        Hazards = new JsonObject
        {
            ["min_area_px"] = 900,
            ["close_kernel_px"] = 11,
            ["road_area"] = new JsonObject { ["dilate_px"] = 40 },
        },
        Objective = "component-f1",
        ChosenOn = ["fs_static"],
    };

    [Fact]
    public void Card_operating_point_is_the_default_for_scorer_temperature_threshold_and_post_processing()
    {
        var settings = Load("{}");
        var resolved = ScoringResolver.Resolve(settings, Card(Point));

        Assert.Equal("MaxLogit", resolved.Method);
        Assert.Equal(2.0, resolved.Temperature);
        Assert.Equal(-1.25f, resolved.Threshold);
        Assert.Equal(ScoringResolver.OperatingPointOrigin, resolved.ThresholdOrigin);
        Assert.True(resolved.UsesOperatingPoint);
        Assert.Equal((900, 11, 40, 3), (resolved.Hazards.MinAreaPx, resolved.Hazards.CloseKernelPx, resolved.Hazards.RoadArea.DilatePx, resolved.Hazards.OpenKernelPx));
    }

    [Fact]
    public void Explicit_settings_win_over_the_operating_point_key_by_key()
    {
        var settings = Load("""{ "scoring": { "threshold": -2.5 }, "hazards": { "min_area_px": 400, "road_area": { "dilate_px": 10 } } }""");
        var resolved = ScoringResolver.Resolve(settings, Card(Point));

        Assert.Equal("MaxLogit", resolved.Method);
        Assert.Equal(-2.5f, resolved.Threshold);
        Assert.Equal("settings", resolved.ThresholdOrigin);
        Assert.Equal((400, 11, 10), (resolved.Hazards.MinAreaPx, resolved.Hazards.CloseKernelPx, resolved.Hazards.RoadArea.DilatePx));
        Assert.Equal(["close_kernel_px"], resolved.OperatingPointHazardKeys);
    }

    [Fact]
    public void Environment_overrides_count_as_explicit()
    {
        var settings = Load("{}", new Dictionary<string, string?> { ["EDGESEG__HAZARDS__CLOSE_KERNEL_PX"] = "5" });
        var resolved = ScoringResolver.Resolve(settings, Card(Point));
        Assert.Equal((900, 5), (resolved.Hazards.MinAreaPx, resolved.Hazards.CloseKernelPx));
    }

    [Fact]
    public void Another_scorer_or_use_operating_point_false_leaves_the_operating_point_out()
    {
        var card = Card(Point) with { Temperature = 1.5 };
        var other = ScoringResolver.Resolve(Load("""{ "scoring": { "method": "VoidClass" } }"""), card);
        Assert.Equal(("VoidClass", 1.5, 0.5f, "default", false), (other.Method, other.Temperature, other.Threshold, other.ThresholdOrigin, other.UsesOperatingPoint));
        Assert.Equal(new HazardSettings().MinAreaPx, other.Hazards.MinAreaPx);

        var off = ScoringResolver.Resolve(Load("""{ "scoring": { "use_operating_point": false } }"""), card);
        Assert.Equal(("VoidClass", 1.5, "default"), (off.Method, off.Temperature, off.ThresholdOrigin));
        Assert.Equal(new HazardSettings().CloseKernelPx, off.Hazards.CloseKernelPx);
    }

    [Fact]
    public void Card_without_operating_point_resolves_as_before()
    {
        var resolved = ScoringResolver.Resolve(Load("{}"), Card(null));
        Assert.Equal(("VoidClass", 1.0, 0.5f, "default"), (resolved.Method, resolved.Temperature, resolved.Threshold, resolved.ThresholdOrigin));
        Assert.False(resolved.UsesOperatingPoint);
    }

    [Fact]
    public void Card_operating_point_round_trips_and_invalid_ones_are_named()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "m.json");
        Card(Point).Save(path);
        var loaded = ModelCard.Load(path).OperatingPoint!;
        Assert.Equal(("MaxLogit", 2.0, -1.25, "component-f1"), (loaded.Scorer, loaded.Temperature, loaded.Threshold, loaded.Objective));
        Assert.Equal(["fs_static"], loaded.ChosenOn);
        Assert.Equal(900, loaded.Hazards!["min_area_px"]!.GetValue<int>());

        var bad = Card(Point with { Scorer = "Bogus", Threshold = double.NaN, ChosenOn = [], Hazards = new JsonObject { ["min_area_px"] = 0 } });
        var errors = bad.Validate();
        Assert.Contains(errors, e => e.StartsWith("operating_point.scorer:", StringComparison.Ordinal) && e.Contains("Bogus", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("operating_point.threshold:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("operating_point.chosen_on:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("operating_point.hazards.min_area_px:", StringComparison.Ordinal));
        var unknown = Card(Point with { Hazards = new JsonObject { ["no_such_key"] = 1 } }).Validate();
        Assert.Contains(unknown, e => e.StartsWith("operating_point.hazards:", StringComparison.Ordinal) && e.Contains("no_such_key", StringComparison.Ordinal));
    }

    private static ModelCard Card(OperatingPoint? point) => ModelCardTests.Sample() with { OperatingPoint = point };

    private static RuntimeSettings Load(string json, Dictionary<string, string?>? environment = null)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, json);
        return RuntimeSettings.Load(path, environment ?? []);
    }
}
