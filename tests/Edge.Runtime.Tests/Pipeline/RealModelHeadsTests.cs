using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Scoring;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Pipeline;

/// <summary>
/// The models <c>make models</c> builds (512x1024) on one real RoadAnomaly21 image: the runtime's heads path gives the
/// same score map as CPU scoring of the plain model (relative 1e-5, absolute floor 1e-6) and exactly its road mask.
/// </summary>
public sealed class RealModelHeadsTests
{
    [Theory]
    [InlineData("enet-seed-560-void", ScoreKind.VoidClass)]
    [InlineData("erfnet-void-dequant", ScoreKind.VoidClass)]
    [InlineData("midenet-distilled", ScoreKind.MaxLogit)]
    public void Heads_model_gives_the_plain_models_score_map_and_road_mask(string name, ScoreKind scorerKind)
    {
        var plainPath = RepoPaths.File($"models/{name}.onnx");
        var headsPath = RepoPaths.File($"models/{name}-heads.onnx");
        var headsCard = ModelCard.Load(ModelCard.PathFor(headsPath));
        Assert.Equal(scorerKind, headsCard.Heads!.Scorer);
        Assert.Equal(ModelCard.Load(ModelCard.PathFor(plainPath)).DefaultScore, headsCard.Heads.Scorer);
        var scorer = AnomalyScorerFactory.Create(scorerKind, new ScorerOptions { Temperature = headsCard.Heads.Temperature });

        using var frame = Cv2.ImRead(TestPaths.SharedFile("data/Validation_Dataset/RoadAnomaly21/images/0.png"), ImreadModes.Color);
        Assert.False(frame.Empty());
        var expected = Analyze(plainPath, headsCard with { Heads = null }, scorer, frame);
        var actual = Analyze(headsPath, headsCard, scorer, frame);

        var worst = 0.0;
        for (var i = 0; i < expected.PixelCount; i++)
        {
            var excess = Math.Abs(expected.Scores[i] - actual.Scores[i]) - ((1e-5 * Math.Abs(expected.Scores[i])) + 1e-6);
            Assert.True(excess <= 0, $"{name} pixel {i}: heads {actual.Scores[i]:R} vs CPU {expected.Scores[i]:R}");
            worst = Math.Max(worst, Math.Abs(expected.Scores[i] - actual.Scores[i]));
        }

        Assert.Equal(expected.Road, actual.Road);
        var road = actual.Road.Count(r => r == 255);
        Assert.InRange(road, 1000, actual.PixelCount - 1000); // a real road image: the mask is neither empty nor everything
    }

    private static ScoreMap Analyze(string path, ModelCard card, IAnomalyScorer scorer, Mat frame)
    {
        var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path }, NullLogger.Instance);
        using var analyzer = FrameAnalyzerFactory.Create(session, card, scorer, roadClass: 0);
        Assert.Equal(card.Heads is not null, analyzer is HeadsFrameAnalyzer);
        var map = new ScoreMap(analyzer.MapWidth, analyzer.MapHeight);
        analyzer.Analyze(frame, map);
        return map;
    }
}
