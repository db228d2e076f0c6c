using System.Text.Json.Nodes;
using Edge.Runtime.Models;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Models;

public sealed class ModelCardHeadsTests
{
    [Fact]
    public void Heads_record_round_trips_in_snake_case_and_a_plain_card_writes_none()
    {
        var dir = TestPaths.NewTempDirectory();
        var plainPath = Path.Combine(dir, "plain.json");
        ModelCardTests.Sample().Save(plainPath);
        Assert.False(JsonNode.Parse(File.ReadAllText(plainPath))!.AsObject().ContainsKey("heads"));
        Assert.Null(ModelCard.Load(plainPath).Heads);

        var path = Path.Combine(dir, "heads.json");
        var heads = new ModelHeads { Scorer = ScoreKind.Energy, Temperature = 1.5, RoadClass = 0, Outputs = ["score", "road", "labels"] };
        (ModelCardTests.Sample() with { Heads = heads }).Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!["heads"]!.AsObject();
        Assert.Equal(["scorer", "temperature", "road_class", "outputs"], json.Select(p => p.Key));
        Assert.Equal("Energy", (string?)json["scorer"]);

        var loaded = ModelCard.Load(path).Heads!;
        Assert.Equal(ScoreKind.Energy, loaded.Scorer);
        Assert.Equal(1.5, loaded.Temperature);
        Assert.Equal(["score", "road", "labels"], loaded.Outputs);
        Assert.True(loaded.HasLabels);
    }

    [Theory]
    [InlineData("""{"scorer": "Msp", "temperature": 0, "road_class": 0, "outputs": ["score", "road"]}""", "heads.temperature: expected a finite value > 0, got 0")]
    [InlineData("""{"scorer": "MaxLogit", "temperature": 2, "road_class": 0, "outputs": ["score", "road"]}""", "heads.temperature: MaxLogit has no temperature")]
    [InlineData("""{"scorer": "Msp", "temperature": 1, "road_class": 20, "outputs": ["score", "road"]}""", "heads.road_class: expected 0..19")]
    [InlineData("""{"scorer": "Msp", "temperature": 1, "road_class": 0, "outputs": ["logits"]}""", "heads.outputs: expected [score, road] or [score, road, labels], got [logits]")]
    public void Invalid_heads_record_is_rejected_naming_the_field(string headsJson, string message)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "m.json");
        ModelCardTests.Sample().Save(path);
        var card = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        card["heads"] = JsonNode.Parse(headsJson);
        File.WriteAllText(path, card.ToJsonString());

        var ex = Assert.Throws<InvalidDataException>(() => ModelCard.Load(path));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
