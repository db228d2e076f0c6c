using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Scoring;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Pipeline;

public sealed class HeadsFrameAnalyzerTests
{
    [Fact]
    public void Heads_analyzer_fills_the_same_score_map_as_cpu_scoring_of_the_plain_model()
    {
        var tiny = new TinyConvModel(height: 8, width: 16, classes: 20);
        var dir = TestPaths.NewTempDirectory();
        using var frame = RandomFrame(40, 20, seed: 9);
        var roadClass = ArgmaxOfFirstPixel(tiny, dir, frame); // a class that occurs in this frame
        using var plain = FrameAnalyzerFactory.Create(Open(tiny.WriteTo(dir)), Card(null), new MaxLogitScorer(), roadClass);
        using var heads = FrameAnalyzerFactory.Create(Open(TinyHeadsModel.WriteTo(tiny, dir, labels: false, roadClass)),
            Card(new ModelHeads { Scorer = ScoreKind.MaxLogit, RoadClass = roadClass }), new MaxLogitScorer(), roadClass);
        Assert.IsType<OnnxFrameAnalyzer>(plain);
        Assert.IsType<HeadsFrameAnalyzer>(heads);

        var expected = new ScoreMap(16, 8);
        var actual = new ScoreMap(16, 8);
        actual.Road.AsSpan().Fill(7); // stale content must be overwritten
        plain.Analyze(frame, expected);
        var timings = heads.Analyze(frame, actual);

        for (var i = 0; i < expected.PixelCount; i++)
        {
            Assert.True(Math.Abs(expected.Scores[i] - actual.Scores[i]) <= 1e-5 * Math.Abs(expected.Scores[i]) + 1e-6, $"pixel {i}: {actual.Scores[i]} vs {expected.Scores[i]}");
        }

        Assert.Equal(expected.Road, actual.Road);
        Assert.Contains(actual.Road, r => r == 255);
        Assert.All(actual.Road, r => Assert.True(r is 0 or 255));
        Assert.True(timings.InferenceMs > 0);
    }

    [Fact]
    public void Heads_that_compute_another_scorer_temperature_or_road_class_are_refused_naming_the_setting()
    {
        var tiny = new TinyConvModel(height: 4, width: 8, classes: 20);
        var dir = TestPaths.NewTempDirectory();
        var path = TinyHeadsModel.WriteTo(tiny, dir, labels: false);
        var card = Card(new ModelHeads { Scorer = ScoreKind.VoidClass, Temperature = 2 });

        using var s1 = Open(path);
        Assert.StartsWith("scoring.method:", Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(s1, card, new MaxLogitScorer(), 0)).Message, StringComparison.Ordinal);
        using var s2 = Open(path);
        Assert.StartsWith("scoring.temperature:", Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(s2, card, new VoidClassScorer(19, 1.0), 0)).Message, StringComparison.Ordinal);
        using var s3 = Open(path);
        Assert.StartsWith("hazards.road_area.road_class:", Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(s3, card, new VoidClassScorer(19, 2.0), 1)).Message, StringComparison.Ordinal);
        using var s4 = Open(path);
        Assert.Contains("has no heads record", Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(s4, Card(null), new MaxLogitScorer(), 0)).Message, StringComparison.Ordinal);
        using var s5 = Open(tiny.WriteTo(dir));
        Assert.Contains("records heads but the graph", Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(s5, card, new MaxLogitScorer(), 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Argmax_labels_of_heads_and_of_cpu_scoring_agree_and_heads_without_labels_are_refused_when_needed()
    {
        var tiny = new TinyConvModel(height: 8, width: 16, classes: 20);
        var dir = TestPaths.NewTempDirectory();
        using var frame = RandomFrame(40, 20, seed: 5);
        var card = Card(new ModelHeads { Scorer = ScoreKind.MaxLogit, Outputs = [ModelHeads.ScoreOutput, ModelHeads.RoadOutput, ModelHeads.LabelsOutput] });
        using var plain = FrameAnalyzerFactory.Create(Open(tiny.WriteTo(dir)), Card(null), new MaxLogitScorer(), 0, labels: true);
        using var heads = FrameAnalyzerFactory.Create(Open(TinyHeadsModel.WriteTo(tiny, dir, labels: true)), card, new MaxLogitScorer(), 0, labels: true);
        var expected = new ScoreMap(16, 8);
        var actual = new ScoreMap(16, 8);
        plain.Analyze(frame, expected);
        heads.Analyze(frame, actual);

        Assert.True(expected.HasLabels);
        Assert.True(actual.HasLabels);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.True(expected.Labels.Distinct().Count() > 1, "the frame should produce more than one class");
        for (var i = 0; i < expected.PixelCount; i++)
        {
            Assert.Equal(expected.Labels[i] == 0 ? (byte)255 : (byte)0, expected.Road[i]);
        }

        using var withoutLabels = Open(TinyHeadsModel.WriteTo(tiny, TestPaths.NewTempDirectory(), labels: false));
        var ex = Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(withoutLabels, Card(new ModelHeads { Scorer = ScoreKind.MaxLogit }), new MaxLogitScorer(), 0, labels: true));
        Assert.StartsWith("hazards.known_objects:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sml_heads_with_post_processing_in_force_are_refused()
    {
        var tiny = new TinyConvModel(height: 4, width: 8, classes: 20);
        var sml = new SmlStatistics { ClassMeans = [.. Enumerable.Repeat(1.0, 20)], ClassStds = [.. Enumerable.Repeat(1.0, 20)], Frames = 1, Source = ["test"] };
        var card = Card(new ModelHeads { Scorer = ScoreKind.Sml }) with { Sml = sml };
        using var scorer = new StandardizedMaxLogitScorer(sml);
        using var session = Open(TinyHeadsModel.WriteTo(tiny, TestPaths.NewTempDirectory(), labels: false));
        var ex = Assert.Throws<ArgumentException>(() => FrameAnalyzerFactory.Create(session, card, scorer, 0, new SmlPostProcessing { DilatedSmoothing = true }));
        Assert.StartsWith("hazards.sml:", ex.Message, StringComparison.Ordinal);
    }

    internal static ModelCard Card(ModelHeads? heads) => new()
    {
        Name = "tiny",
        Architecture = "tiny-conv",
        Classes = CityscapesClasses.WithVoid,
        VoidIndex = CityscapesClasses.VoidIndex,
        Input = new ModelInputSpec { Height = 8, Width = 16 },
        Source = new ModelSource { Checkpoint = "none", Sha256 = new string('a', 64) },
        Parameters = 80,
        Created = DateTimeOffset.UtcNow,
        Heads = heads,
    };

    private static int ArgmaxOfFirstPixel(TinyConvModel tiny, string dir, Mat frame)
    {
        using var analyzer = new OnnxFrameAnalyzer(Open(tiny.WriteTo(dir, "probe.onnx")), new MaxLogitScorer(), 0);
        analyzer.Analyze(frame, new ScoreMap(tiny.Width, tiny.Height));
        var logits = analyzer.Session.Logits;
        var pixels = tiny.Width * tiny.Height;
        var best = 0;
        for (var c = 1; c < tiny.Classes; c++)
        {
            best = logits[c * pixels] > logits[best * pixels] ? c : best;
        }

        return best;
    }

    private static SegmentationSession Open(string path) =>
        SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path, IntraOpThreads = 1 }, NullLogger.Instance);

    private static Mat RandomFrame(int width, int height, int seed)
    {
        var bytes = new byte[width * height * 3];
        new Random(seed).NextBytes(bytes);
        using var view = Mat.FromPixelData(height, width, MatType.CV_8UC3, bytes);
        return view.Clone();
    }
}
