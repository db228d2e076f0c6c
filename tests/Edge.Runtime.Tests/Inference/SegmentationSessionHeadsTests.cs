using Edge.Runtime.Inference;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Inference;

public sealed class SegmentationSessionHeadsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Heads_model_binds_score_road_and_labels_and_matches_independent_computation(bool labels)
    {
        var tiny = new TinyConvModel(height: 8, width: 16, classes: 6);
        const int roadClass = 2; // the argmax of nearly every pixel of this tiny model (class 4 wins a few)
        var path = TinyHeadsModel.WriteTo(tiny, TestPaths.NewTempDirectory(), labels, roadClass);
        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path, IntraOpThreads = 1 }, NullLogger.Instance);
        Assert.True(session.HasHeads);
        Assert.Equal(labels, session.HasLabels);
        Assert.Equal([1, 1, 8, 16], session.OutputShape);

        var random = new Random(3);
        for (var run = 0; run < 2; run++)
        {
            for (var i = 0; i < session.InputBuffer.Length; i++)
            {
                session.InputBuffer[i] = random.NextSingle();
            }

            session.Run();
            var logits = tiny.Evaluate(session.InputBuffer);
            var pixels = 8 * 16;
            var roadPixels = 0;
            for (var p = 0; p < pixels; p++)
            {
                var best = 0;
                for (var c = 1; c < tiny.Classes; c++)
                {
                    best = logits[(c * pixels) + p] > logits[(best * pixels) + p] ? c : best;
                }

                var max = logits[(best * pixels) + p];
                Assert.True(Math.Abs(-max - session.Scores[p]) < 1e-5, $"run {run} pixel {p}: score {session.Scores[p]}, expected {-max}");
                Assert.Equal(best == roadClass ? 1 : 0, session.RoadMask[p]);
                roadPixels += session.RoadMask[p];
                if (labels)
                {
                    Assert.Equal(best, session.Labels[p]);
                }
            }

            Assert.True(roadPixels > 0, $"run {run}: class {roadClass} should be the argmax somewhere");
            Assert.Equal(labels ? pixels : 0, session.Labels.Length);
        }
    }

    [Fact]
    public void Heads_model_has_no_logits_and_a_plain_model_has_no_heads()
    {
        var tiny = new TinyConvModel(height: 4, width: 4, classes: 5);
        var dir = TestPaths.NewTempDirectory();
        using var heads = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = TinyHeadsModel.WriteTo(tiny, dir, labels: false) }, NullLogger.Instance);
        using var plain = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = tiny.WriteTo(dir) }, NullLogger.Instance);
        var ex = Assert.Throws<InvalidOperationException>(() => heads.Logits.Length);
        Assert.Contains("has heads", ex.Message, StringComparison.Ordinal);
        Assert.False(plain.HasHeads);
        Assert.Throws<InvalidOperationException>(() => plain.Scores.Length);
        Assert.Throws<InvalidOperationException>(() => plain.RoadMask.Length);
    }

    [Fact]
    public void Model_with_neither_logits_nor_heads_names_both_expectations()
    {
        var tiny = new TinyConvModel(height: 4, width: 4, classes: 5, outputName: "out");
        var ex = Assert.Throws<ModelLoadException>(() =>
            SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = tiny.WriteTo(TestPaths.NewTempDirectory()) }, NullLogger.Instance));
        Assert.Contains("expected an output 'logits' (or the heads 'score' and 'road')", ex.Message, StringComparison.Ordinal);
    }
}
