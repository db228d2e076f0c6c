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

    [Fact]
    public void Heads_graph_uses_only_tensorrt_safe_operators_and_typed_outputs()
    {
        var model = ModelHeadsAppender.Append(IdentityModel(),
            new ModelHeads { Scorer = ScoreKind.MaxEntropy, Temperature = 2, RoadClass = 3, Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] },
            CityscapesClasses.VoidIndex);
        var sml = ModelHeadsAppender.Append(IdentityModel(), new ModelHeads { Scorer = ScoreKind.Sml }, CityscapesClasses.VoidIndex, Sml);
        string[] safe = ["Identity", "Div", "Sub", "Exp", "Log", "Add", "Mul", "Neg", "ReduceMax", "ReduceMin", "ReduceSum", "Slice", "Equal", "Greater", "And", "Where", "Cast"];
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
