using System.Text.Json.Nodes;
using Edge.Runtime.Models;
using Host.Tools.Commands;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Commands;

public sealed class ApplyOperatingPointsCommandTests
{
    private static string Models => Path.Combine(TestPaths.RepoRoot, "models");

    [Fact]
    public void Operating_point_reaches_the_plain_and_the_heads_card_so_make_run_uses_it()
    {
        var (points, cards) = Folders("VoidClass");

        var exit = Apply(points, cards);

        Assert.Equal(0, exit);
        foreach (var name in new[] { "enet-seed-560-void", "enet-seed-560-void-heads" })
        {
            var op = ModelCard.Load(Path.Combine(cards, name + ".json")).OperatingPoint;
            Assert.NotNull(op);
            Assert.Equal("VoidClass", op.Scorer);
            Assert.Equal(0.61, op.Threshold, 9);
            Assert.Equal(0.05, op.Hazards!["road_enclosure"]!["candidate_threshold"]!.GetValue<double>(), 9);
        }
    }

    [Fact]
    public void A_point_whose_scorer_the_heads_graph_does_not_compute_is_refused_naming_both_and_no_card_is_written()
    {
        var (points, cards) = Folders("MaxLogit");

        var exit = Apply(points, cards);

        Assert.NotEqual(0, exit);
        Assert.Null(ModelCard.Load(Path.Combine(cards, "enet-seed-560-void-heads.json")).OperatingPoint);
        Assert.Null(ModelCard.Load(Path.Combine(cards, "enet-seed-560-void.json")).OperatingPoint); // nothing half-written
        var heads = ModelCard.Load(Path.Combine(cards, "enet-seed-560-void-heads.json")).Heads!;
        var point = ApplyOperatingPointsCommand.Read(Path.Combine(points, "enet-seed-560-void.json"));
        var conflict = ApplyOperatingPointsCommand.HeadsConflict(point, heads);
        Assert.NotNull(conflict);
        Assert.Contains("MaxLogit", conflict, StringComparison.Ordinal);
        Assert.Contains("VoidClass", conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_point_filtering_known_objects_needs_heads_with_labels()
    {
        var (points, _) = Folders("VoidClass", knownObjects: true);
        var point = ApplyOperatingPointsCommand.Read(Path.Combine(points, "enet-seed-560-void.json"));

        var withoutLabels = ApplyOperatingPointsCommand.HeadsConflict(point, new ModelHeads { Scorer = ScoreKind.VoidClass });
        var withLabels = ApplyOperatingPointsCommand.HeadsConflict(point, new ModelHeads { Scorer = ScoreKind.VoidClass, Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] });

        Assert.Contains("hazards.known_objects", withoutLabels, StringComparison.Ordinal);
        Assert.Null(withLabels);
    }

    private static int Apply(string points, string cards) =>
        new ApplyOperatingPointsCommand(NullLoggerFactory.Instance).Create().Parse(["--from", points, "--models", cards]).Invoke();

    private static (string Points, string Cards) Folders(string scorer, bool knownObjects = false)
    {
        var root = TestPaths.NewTempDirectory();
        var cards = Directory.CreateDirectory(Path.Combine(root, "models")).FullName;
        var points = Directory.CreateDirectory(Path.Combine(root, "points")).FullName;
        foreach (var name in new[] { "enet-seed-560-void", "enet-seed-560-void-heads" })
        {
            var card = ModelCard.Load(Path.Combine(Models, name + ".json")) with { OperatingPoint = null };
            card.Save(Path.Combine(cards, name + ".json"));
        }

        var point = new JsonObject
        {
            ["scorer"] = scorer,
            ["temperature"] = 1,
            ["threshold"] = 0.61,
            ["hazards"] = new JsonObject
            {
                ["road_enclosure"] = new JsonObject { ["enabled"] = true, ["candidate_threshold"] = 0.05 },
                ["known_objects"] = new JsonObject { ["enabled"] = knownObjects },
            },
            ["objective"] = "component-f1",
            ["chosen_on"] = new JsonArray("fs_static"),
            ["figures"] = new JsonArray(),
            ["created"] = "2026-12-02T12:00:00Z",
        };
        File.WriteAllText(Path.Combine(points, "enet-seed-560-void.json"), point.ToJsonString());
        return (points, cards);
    }
}
