using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Scoring;
using Host.Tools.Building;
using Host.Tools.Tests.Evaluation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Building;

public sealed class CeilingModelTests
{
    [Fact]
    public void Ceiling_model_builds_with_a_valid_card_and_runs_as_one_1x1_convolution()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("ceiling.onnx");
        var card = CeilingModel.Build(path, 16, 32);

        var loaded = ModelCard.Load(ModelCard.PathFor(path));
        Assert.Equal(card.Name, loaded.Name);
        Assert.Equal(CeilingModel.Architecture, loaded.Architecture);
        Assert.Equal(ScoreKind.VoidClass, loaded.DefaultScore);
        Assert.Equal(19, loaded.VoidIndex);
        Assert.Equal(80, loaded.Parameters);

        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path, IntraOpThreads = 1 }, NullLogger.Instance);
        Assert.Equal([1, 3, 16, 32], session.InputShape);
        Assert.Equal([1, 20, 16, 32], session.OutputShape);
        var n = 16 * 32;
        var random = new Random(11);
        for (var i = 0; i < session.InputBuffer.Length; i++)
        {
            session.InputBuffer[i] = random.NextSingle();
        }

        // Pixel 0 mid-grey (road wins), pixel 1 bright (void wins).
        for (var ch = 0; ch < 3; ch++)
        {
            session.InputBuffer[(ch * n) + 0] = 0.4f;
            session.InputBuffer[(ch * n) + 1] = 0.95f;
        }

        session.Run();
        var (weights, bias) = CeilingModel.Weights();
        for (var c = 0; c < 20; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var expected = bias[c];
                for (var ch = 0; ch < 3; ch++)
                {
                    expected += weights[(c * 3) + ch] * session.InputBuffer[(ch * n) + i];
                }

                Assert.True(Math.Abs(expected - session.Logits[(c * n) + i]) < 1e-5, $"logit class {c} pixel {i}: expected {expected}, got {session.Logits[(c * n) + i]}");
            }
        }

        var road = new byte[n];
        OnnxFrameAnalyzer.LabelRoad(session.Logits, 20, n, 0, road);
        Assert.Equal(255, road[0]);
        Assert.Equal(0, road[1]);
        var scores = new float[n];
        new VoidClassScorer().Score(session.Logits, 20, scores);
        Assert.True(scores[0] < 0.5f, $"grey pixel scored {scores[0]}");
        Assert.True(scores[1] > 0.5f, $"bright pixel scored {scores[1]}");
    }

    [Fact]
    public void Ceiling_model_with_trivial_heads_gives_the_plain_ceiling_models_road_mask_and_void_decision()
    {
        using var folder = new TempFolder();
        var plainPath = folder.Combine("ceiling.onnx");
        var headsPath = folder.Combine("ceiling-heads.onnx");
        CeilingModel.Build(plainPath, 16, 32);
        var card = CeilingModel.BuildWithTrivialHeads(headsPath, 16, 32);
        Assert.NotNull(ModelCard.Load(ModelCard.PathFor(headsPath)).Heads);
        Assert.Equal(ScoreKind.VoidClass, card.Heads!.Scorer);

        using var plain = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = plainPath, IntraOpThreads = 1 }, NullLogger.Instance);
        using var heads = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = headsPath, IntraOpThreads = 1 }, NullLogger.Instance);
        Assert.True(heads.HasHeads);
        var n = 16 * 32;
        var random = new Random(5);
        for (var i = 0; i < plain.InputBuffer.Length; i++)
        {
            plain.InputBuffer[i] = heads.InputBuffer[i] = i % 7 == 0 ? 0.8f : random.NextSingle(); // 0.8: the exact tie
        }

        plain.Run();
        heads.Run();
        var road = new byte[n];
        OnnxFrameAnalyzer.LabelRoad(plain.Logits, 20, n, 0, road);
        var scores = new float[n];
        new VoidClassScorer().Score(plain.Logits, 20, scores);
        var voids = 0;
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(road[i] == 255 ? 1 : 0, heads.RoadMask[i]);
            Assert.InRange(heads.Scores[i], 0f, 1f);
            var margin = plain.Logits[(19 * n) + i] - plain.Logits[i];
            if (Math.Abs(margin) > 0.5f) // outside the band where the 18 small classes (e^-3 each) tip the 20-class softmax
            {
                Assert.Equal(scores[i] > 0.5f, heads.Scores[i] > 0.5f);
            }

            voids += heads.RoadMask[i] == 0 ? 1 : 0;
        }

        Assert.InRange(voids, 1, n - 1); // both decisions occur
    }
}
