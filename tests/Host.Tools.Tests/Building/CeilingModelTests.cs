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
}
