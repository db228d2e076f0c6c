using Edge.Runtime.Models;
using Host.Tools.Evaluation;
using Host.Tools.Export.Heads;
using Host.Tools.Tests.Evaluation;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Onnx;

namespace Host.Tools.Tests.Export;

/// <summary>The heads models <c>make models</c> writes, their cards, and <c>evaluate</c> on them (real ENet, 512x1024).</summary>
public sealed class HeadsModelFileTests
{
    private static string Plain => Path.Combine(TestPaths.RepoRoot, "models", "enet-seed-560-void.onnx");

    private static string Heads => Path.Combine(TestPaths.RepoRoot, "models", "enet-seed-560-void-heads.onnx");

    [Fact]
    public void Build_models_writes_a_heads_model_whose_card_records_the_default_score_and_which_outputs_the_argmax_labels()
    {
        var card = ModelCard.Load(ModelCard.PathFor(Heads));
        var plainCard = ModelCard.Load(ModelCard.PathFor(Plain));
        Assert.Null(plainCard.Heads);
        Assert.Equal("enet-seed-560-void-heads", card.Name);
        Assert.Equal(new ModelHeads { Scorer = plainCard.DefaultScore, Temperature = 1.0, RoadClass = 0, Outputs = card.Heads!.Outputs }, card.Heads);
        Assert.Equal(["score", "road", "labels"], card.Heads.Outputs); // labels: hazards.known_objects needs them on the CPU
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Heads));
        Assert.Equal(["score", "road", "labels"], model.Graph.Output.Select(o => o.Name));
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "models", "enet-seed-560-void-trt-heads.onnx")));
    }

    [Fact]
    public void Writer_appends_the_requested_heads_and_refuses_a_model_that_has_some()
    {
        using var temp = new TempFolder();
        var plain = temp.Combine("m.onnx");
        File.Copy(Plain, plain);
        File.Copy(ModelCard.PathFor(Plain), ModelCard.PathFor(plain));
        var writer = new ModelHeadsWriter(NullLogger.Instance);

        var written = writer.Write(plain, new ModelHeads { Scorer = ScoreKind.Energy, Temperature = 2, Outputs = ["score", "road", "labels"] });

        Assert.Equal(temp.Combine("m-heads.onnx"), written);
        var card = ModelCard.Load(ModelCard.PathFor(written));
        Assert.Equal("m-heads", card.Name);
        Assert.Equal(ScoreKind.Energy, card.Heads!.Scorer);
        Assert.Equal(2, card.Heads.Temperature);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(written));
        Assert.Equal(["score", "road", "labels"], model.Graph.Output.Select(o => o.Name));
        // ENet's three strided ConvTransposes run as Conv + DepthToSpace in the runtime's model (no column buffer)
        var plainModel = ModelProto.Parser.ParseFrom(File.ReadAllBytes(plain));
        Assert.Equal(3, plainModel.Graph.Node.Count(n => n.OpType == "ConvTranspose"));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "ConvTranspose");
        Assert.Equal(3, model.Graph.Node.Count(n => n.OpType == "DepthToSpace") - plainModel.Graph.Node.Count(n => n.OpType == "DepthToSpace"));
        var ex = Assert.Throws<ArgumentException>(() => writer.Write(written));
        Assert.Contains("already has heads", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_heads_follow_the_cards_operating_point_when_it_has_one()
    {
        var card = ModelCard.Load(ModelCard.PathFor(Plain));
        Assert.Equal(ScoreKind.VoidClass, ModelHeadsWriter.DefaultFor(card).Scorer);
        var op = new OperatingPoint { Scorer = "MSP", Temperature = 1.5, Threshold = 0.4, Objective = "test", ChosenOn = ["x"] };
        var heads = ModelHeadsWriter.DefaultFor(card with { OperatingPoint = op }, labels: true);
        Assert.Equal(ScoreKind.Msp, heads.Scorer);
        Assert.Equal(1.5, heads.Temperature);
        Assert.True(heads.HasLabels);
        var maxLogit = ModelHeadsWriter.DefaultFor(card with { OperatingPoint = op with { Scorer = "MaxLogit" } });
        Assert.Equal((ScoreKind.MaxLogit, 1.0), (maxLogit.Scorer, maxLogit.Temperature));
    }

    [Fact]
    public void Evaluate_of_the_heads_model_gives_the_plain_models_auprc_and_fpr95()
    {
        using var temp = TwoImages();
        var plain = Run(Plain, temp.Path, ["VoidClass", "MaxLogit"]);
        var heads = Run(Heads, temp.Path, ["VoidClass", "MaxLogit"]);

        var expected = plain.Results.Single(r => r.Method == "VoidClass");
        var actual = Assert.Single(heads.Results);
        Assert.Equal("VoidClass", actual.Method);
        Assert.Equal(expected.Pixels, actual.Pixels);
        Assert.Equal(expected.AnomalyPixels, actual.AnomalyPixels);
        Assert.InRange(Math.Abs(expected.Auprc!.Value - actual.Auprc!.Value), 0, 0.01);
        Assert.InRange(Math.Abs(expected.Fpr95!.Value - actual.Fpr95!.Value), 0, 0.01);
        Assert.InRange(Math.Abs(expected.Auroc!.Value - actual.Auroc!.Value), 0, 0.01);
    }

    [Fact]
    public void Evaluate_of_a_heads_model_for_a_score_it_does_not_carry_names_the_options()
    {
        using var temp = TwoImages();
        var ex = Assert.Throws<ArgumentException>(() => Run(Heads, temp.Path, ["MaxLogit", "MSP"]));
        Assert.StartsWith("--methods / --temperature:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("computes only VoidClass", ex.Message, StringComparison.Ordinal);
    }

    private static AnomalyEvaluationReport Run(string model, string data, string[] methods) =>
        new AnomalyEvaluator(NullLoggerFactory.Instance).Run(
            new AnomalyEvaluationSettings { ModelPath = model, DataPath = data, Methods = methods }, CancellationToken.None);

    private static TempFolder TwoImages()
    {
        var source = TestPaths.Shared("data/Validation_Dataset/RoadAnomaly21");
        var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("RoadAnomaly21", "images"));
        Directory.CreateDirectory(temp.Combine("RoadAnomaly21", "labels_masks"));
        foreach (var name in new[] { "0.png", "1.png" })
        {
            File.Copy(Path.Combine(source, "images", name), temp.Combine("RoadAnomaly21", "images", name));
            File.Copy(Path.Combine(source, "labels_masks", name), temp.Combine("RoadAnomaly21", "labels_masks", name));
        }

        return temp;
    }
}
