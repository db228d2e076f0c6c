using Edge.Runtime.Models;
using Host.Tools.Export;
using Host.Tools.Export.Heads;
using Onnx;
using static Host.Tools.Tests.Export.HeadsTestSupport;

namespace Host.Tools.Tests.Export;

/// <summary>The heads alone (a graph whose "network" is the identity) on synthetic logits full of ties.</summary>
public sealed class ScoreHeadsTests
{
    private const int Channels = 20;
    private const int H = 16;
    private const int W = 24;

    public static TheoryData<ScoreKind, double> Scorers()
    {
        var data = new TheoryData<ScoreKind, double>();
        foreach (var (kind, t) in AllScorers(1.7))
        {
            data.Add(kind, t);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scorers))]
    public void Score_head_equals_the_cpu_scorer(ScoreKind kind, double temperature)
    {
        var logits = TieHeavyLogits(seed: 5);
        var model = ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = kind, Temperature = temperature }, CityscapesClasses.VoidIndex, Sml);
        var (score, _, _) = RunHeads(model, "x", logits, [1, Channels, H, W], labels: false);
        AssertScoresEqual(CpuScore(kind, temperature, logits, Channels), score, $"{kind} T={temperature}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(19)]
    public void Road_mask_and_labels_keep_the_first_maximum_on_ties(int roadClass)
    {
        var logits = TieHeavyLogits(seed: 11);
        var expected = FirstArgmax(logits, Channels);
        var model = ModelHeadsAppender.Append(IdentityModel(),
            new ModelHeads { Scorer = ScoreKind.MaxLogit, RoadClass = roadClass, Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] },
            CityscapesClasses.VoidIndex);
        var (_, road, labels) = RunHeads(model, "x", logits, [1, Channels, H, W], labels: true);
        Assert.Equal(expected, labels);
        AssertRoadEqual(expected, road, roadClass, $"road class {roadClass}");
        Assert.Contains(road, r => r == 1);

        // The logits really tie: a last-maximum rule gives other labels.
        var last = LastArgmax(logits);
        Assert.True(last.Where((l, i) => l != expected[i]).Count() > 20, "the test input must contain ties that break differently");
    }

    [Theory]
    [MemberData(nameof(Scorers))]
    public void Score_head_equals_the_cpu_scorer_when_the_labels_scan_gives_the_maximum(ScoreKind kind, double temperature)
    {
        var logits = TieHeavyLogits(seed: 7);
        var model = ModelHeadsAppender.Append(IdentityModel(),
            new ModelHeads { Scorer = kind, Temperature = temperature, Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] },
            CityscapesClasses.VoidIndex, Sml);
        var (score, road, labels) = RunHeads(model, "x", logits, [1, Channels, H, W], labels: true);
        AssertScoresEqual(CpuScore(kind, temperature, logits, Channels), score, $"{kind} T={temperature} with labels");
        var expected = FirstArgmax(logits, Channels);
        Assert.Equal(expected, labels);
        AssertRoadEqual(expected, road, 0, $"{kind} road with labels");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(19)]
    public void Road_mask_without_labels_keeps_the_first_maximum_on_ties(int roadClass)
    {
        var logits = TieHeavyLogits(seed: 13);
        var expected = FirstArgmax(logits, Channels);
        var model = ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = ScoreKind.VoidClass, RoadClass = roadClass }, CityscapesClasses.VoidIndex);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Where");
        var (_, road, _) = RunHeads(model, "x", logits, [1, Channels, H, W], labels: false);
        AssertRoadEqual(expected, road, roadClass, $"road class {roadClass} without labels");
        Assert.Contains(road, r => r == 1);

        // Ties on the road class: a rule that lets a later equal class win (>= instead of >) would differ here.
        var tiedLater = Enumerable.Range(0, H * W).Count(i => expected[i] == roadClass
            && Enumerable.Range(roadClass + 1, Channels - roadClass - 1).Any(c => logits[(c * H * W) + i] == logits[(roadClass * H * W) + i]));
        Assert.True(roadClass == Channels - 1 || tiedLater > 0, "the test input must tie the road class with a later class");
    }

    [Fact]
    public void Heads_reduce_over_the_channel_planes_without_full_size_reductions()
    {
        foreach (var outputs in new[] { new[] { ModelHeads.ScoreOutput, ModelHeads.RoadOutput }, [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] })
        {
            var model = ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = ScoreKind.VoidClass, RoadClass = 0, Outputs = outputs }, CityscapesClasses.VoidIndex);
            var ops = model.Graph.Node.Select(n => n.OpType).ToList();
            Assert.Equal(1, ops.Count(o => o == "Split"));
            Assert.DoesNotContain(ops, o => o.StartsWith("Reduce", StringComparison.Ordinal) || o is "Slice" or "ArgMax" or "TopK");

            // One maximum per pixel: the scan's when labels are wanted, else one variadic Max; the softmax sum as Adds.
            var labels = outputs.Length == 3;
            Assert.Equal(labels ? Channels - 1 : 1, ops.Count(o => o == "Max"));
            Assert.Equal(labels ? Channels - 1 : 0, ops.Count(o => o == "Where"));
            Assert.Equal(Channels - 1, ops.Count(o => o == "Add"));
            Assert.Equal(Channels, ops.Count(o => o == "Exp"));
        }
    }

    [Fact]
    public void Heads_graph_uses_only_tensorrt_safe_operators_and_typed_outputs()
    {
        var model = ModelHeadsAppender.Append(IdentityModel(),
            new ModelHeads { Scorer = ScoreKind.MaxEntropy, Temperature = 2, RoadClass = 3, Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] },
            CityscapesClasses.VoidIndex);
        var sml = ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = ScoreKind.Sml }, CityscapesClasses.VoidIndex, Sml);
        string[] safe = ["Identity", "Split", "Max", "Div", "Sub", "Exp", "Log", "Add", "Mul", "Neg", "Equal", "Greater", "And", "Where", "Cast"];
        Assert.All(model.Graph.Node.Concat(sml.Graph.Node), n => Assert.Contains(n.OpType, safe));
        Assert.DoesNotContain(model.Graph.Node.Concat(sml.Graph.Node), n => n.OpType is "ArgMax" or "TopK");
        Assert.Equal(["score", "road", "labels"], model.Graph.Output.Select(o => o.Name));
        Assert.Equal([(int)TensorProto.Types.DataType.Float, (int)TensorProto.Types.DataType.Uint8, (int)TensorProto.Types.DataType.Uint8],
            model.Graph.Output.Select(o => o.Type.TensorType.ElemType));
        Assert.All(model.Graph.Output, o => Assert.Equal([1L, 1, H, W], o.Type.TensorType.Shape.Dim.Select(d => d.DimValue)));
        Assert.Contains(model.MetadataProps, p => p.Key == ModelHeadsAppender.MetadataKey && p.Value.StartsWith("MaxEntropy T=2", StringComparison.Ordinal));
    }

    [Fact]
    public void Appending_twice_or_to_a_model_without_logits_is_refused()
    {
        var once = ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = ScoreKind.Msp }, null);
        var ex = Assert.Throws<ArgumentException>(() => ModelHeadsAppender.Append(once, new ModelHeads { Scorer = ScoreKind.Msp }, null));
        Assert.Contains("expected a model with output 'logits'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScoreKind.VoidClass, 1.0, 0, "VoidClass needs void_index")]
    [InlineData(ScoreKind.MaxLogit, 2.0, 0, "MaxLogit has no temperature")]
    [InlineData(ScoreKind.Msp, 0.0, 0, "heads.temperature")]
    [InlineData(ScoreKind.Msp, 1.0, 20, "heads.road_class")]
    public void Invalid_heads_are_refused_naming_the_field(ScoreKind kind, double temperature, int roadClass, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = kind, Temperature = temperature, RoadClass = roadClass }, voidIndex: null));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static ModelProto IdentityModel()
    {
        var g = new OnnxGraphBuilder { InputSize = (H, W) };
        g.AddInput("x", [1, Channels, H, W]);
        var y = g.Node("Identity", ["x"]);
        g.Rename(y, ModelHeadsAppender.LogitsName);
        g.AddOutput(ModelHeadsAppender.LogitsName, [1, Channels, H, W]);
        return g.ToModel("test");
    }

    /// <summary>Half the pixels: small integers (many channels tie for the maximum); the rest: spread-out reals.</summary>
    private static float[] TieHeavyLogits(int seed)
    {
        var random = new Random(seed);
        var logits = new float[Channels * H * W];
        var pixels = H * W;
        for (var i = 0; i < pixels; i++)
        {
            var ties = i % 2 == 0;
            for (var c = 0; c < Channels; c++)
            {
                logits[(c * pixels) + i] = ties ? random.Next(0, 3) : (float)((random.NextDouble() * 24) - 8);
            }
        }

        return logits;
    }

    private static byte[] LastArgmax(float[] logits)
    {
        var pixels = logits.Length / Channels;
        var labels = new byte[pixels];
        for (var i = 0; i < pixels; i++)
        {
            var best = float.NegativeInfinity;
            for (var c = 0; c < Channels; c++)
            {
                if (logits[(c * pixels) + i] >= best)
                {
                    best = logits[(c * pixels) + i];
                    labels[i] = (byte)c;
                }
            }
        }

        return labels;
    }
}
