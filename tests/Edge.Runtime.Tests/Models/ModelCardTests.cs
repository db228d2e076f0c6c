using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Runtime.Models;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Models;

public sealed class ModelCardTests
{
    internal static ModelCard Sample() => new()
    {
        Name = "enet-seed-560-void",
        Architecture = "enet",
        Classes = CityscapesClasses.WithVoid,
        VoidIndex = CityscapesClasses.VoidIndex,
        Input = new ModelInputSpec { Height = 512, Width = 1024 },
        DefaultScore = ScoreKind.VoidClass,
        Source = new ModelSource { Checkpoint = "weights/seed/enet_560.pth", Sha256 = new string('a', 64) },
        Parameters = 363_000,
        Created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void Save_then_load_round_trips()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "m.json");
        var card = Sample();

        card.Save(path);
        var loaded = ModelCard.Load(path);

        Assert.Equal(card.Name, loaded.Name);
        Assert.Equal(card.Classes, loaded.Classes);
        Assert.Equal(card.Input, loaded.Input);
        Assert.Equal(card.Source, loaded.Source);
        Assert.Equal(card.Created, loaded.Created);
        Assert.Equal(ScoreKind.VoidClass, loaded.DefaultScore);
        Assert.Null(loaded.Temperature);
        Assert.Null(loaded.Flops);
    }

    [Fact]
    public void Json_uses_snake_case_schema()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "m.json");
        Sample().Save(path);

        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        Assert.Equal(
            ["name", "architecture", "classes", "void_index", "input", "preprocessing", "default_score", "temperature", "threshold", "operating_point", "source", "parameters", "flops", "created", "sml", "schema_version"],
            json.Select(p => p.Key));
        Assert.Equal(20, json["classes"]!.AsArray().Count);
        Assert.Equal("void", (string?)json["classes"]![19]);
        Assert.Equal(19, (int?)json["void_index"]);
        Assert.Equal(3, (int?)json["input"]!["channels"]);
        Assert.Equal("RGB", (string?)json["preprocessing"]!["color"]);
        Assert.Equal("pillow-bilinear", (string?)json["preprocessing"]!["resize"]);
        Assert.Equal(1.0 / 255, (double?)json["preprocessing"]!["scale"]);
        Assert.Null(json["preprocessing"]!["mean"]);
        Assert.Equal("VoidClass", (string?)json["default_score"]);
        Assert.Equal(new string('a', 64), (string?)json["source"]!["sha256"]);
        Assert.Equal(1, (int?)json["schema_version"]);
        Assert.StartsWith("2025-01-02T03:04:05", (string?)json["created"], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reports_file_field_expected_and_actual()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bad.json");
        var json = JsonNode.Parse(JsonSerializer.Serialize(Sample(), ModelCard.JsonOptions))!;
        json["input"]!["channels"] = 4;
        json["void_index"] = 25;
        File.WriteAllText(path, json.ToJsonString());

        var ex = Assert.Throws<InvalidDataException>(() => ModelCard.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("input.channels: expected 3, got 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("void_index: expected 0..19", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 25", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reports_missing_required_field()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "missing.json");
        var json = JsonNode.Parse(JsonSerializer.Serialize(Sample(), ModelCard.JsonOptions))!.AsObject();
        json.Remove("architecture");
        File.WriteAllText(path, json.ToJsonString());

        var ex = Assert.Throws<InvalidDataException>(() => ModelCard.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("architecture", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_unknown_score_kind()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "score.json");
        var json = JsonNode.Parse(JsonSerializer.Serialize(Sample(), ModelCard.JsonOptions))!;
        json["default_score"] = "Entropy";
        File.WriteAllText(path, json.ToJsonString());

        var ex = Assert.Throws<InvalidDataException>(() => ModelCard.Load(path));

        Assert.Contains("default_score", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_refuses_invalid_card_and_writes_nothing()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "invalid.json");
        var card = Sample() with { Source = new ModelSource { Checkpoint = "x.pth", Sha256 = "abc" } };

        var ex = Assert.Throws<InvalidOperationException>(() => card.Save(path));

        Assert.Contains("source.sha256: expected 64 lowercase hex digits, got 'abc'", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Path_for_model_has_same_stem_and_json_extension()
    {
        Assert.Equal(Path.Combine("models", "enet.json"), ModelCard.PathFor(Path.Combine("models", "enet.onnx")));
    }

    [Fact]
    public void Cityscapes_classes_list_19_train_ids_then_void()
    {
        Assert.Equal(19, CityscapesClasses.TrainIds.Count);
        Assert.Equal("road", CityscapesClasses.TrainIds[0]);
        Assert.Equal("bicycle", CityscapesClasses.TrainIds[18]);
        Assert.Equal("void", CityscapesClasses.WithVoid[CityscapesClasses.VoidIndex]);
    }
}
