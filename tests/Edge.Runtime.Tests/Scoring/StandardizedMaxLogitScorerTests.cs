using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Tests.Scoring;

public sealed class StandardizedMaxLogitScorerTests
{
    private static SmlStatistics Stats(int classes, int seed)
    {
        var random = new Random(seed);
        return new SmlStatistics
        {
            ClassMeans = [.. Enumerable.Range(0, classes).Select(_ => (random.NextDouble() * 6) - 1)],
            ClassStds = [.. Enumerable.Range(0, classes).Select(_ => 0.5 + (random.NextDouble() * 2))],
            Frames = 3,
            Source = ["synthetic"],
        };
    }

    private static float[] RandomLogits(int classes, int pixels, int seed)
    {
        var random = new Random(seed);
        var logits = new float[classes * pixels];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 10) - 3);
        }

        return logits;
    }

    /// <summary>Plain per-pixel SML: argmax (first maximum) over channels, then −(max − μ_c)/σ_c.</summary>
    private static (double[] Sml, int[] Classes) Naive(float[] logits, int classes, int pixels, SmlStatistics stats)
    {
        var sml = new double[pixels];
        var predicted = new int[pixels];
        for (var i = 0; i < pixels; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (logits[(c * pixels) + i] > logits[(best * pixels) + i])
                {
                    best = c;
                }
            }

            predicted[i] = best;
            sml[i] = -(logits[(best * pixels) + i] - stats.ClassMeans[best]) / stats.ClassStds[best];
        }

        return (sml, predicted);
    }

    [Fact]
    public void Standardizes_the_max_logit_by_the_predicted_class_statistics()
    {
        const int classes = 7;
        const int pixels = 3001; // not a multiple of the block or the vector width
        var stats = Stats(classes, 1);
        var logits = RandomLogits(classes, pixels, 2);
        logits[(3 * pixels) + 5] = logits[(1 * pixels) + 5] = 50; // a tie: the first maximum (class 1) wins
        var scores = new float[pixels];
        using var scorer = new StandardizedMaxLogitScorer(stats);

        scorer.Score(logits, classes, scores);

        var (expected, predicted) = Naive(logits, classes, pixels, stats);
        Assert.Equal(1, predicted[5]);
        for (var i = 0; i < pixels; i++)
        {
            Assert.True(Math.Abs(expected[i] - scores[i]) < 1e-4, $"pixel {i}: expected {expected[i]}, got {scores[i]}");
        }

        Assert.True(Math.Abs((-(50 - stats.ClassMeans[1]) / stats.ClassStds[1]) - scores[5]) < 1e-4);
    }

    [Fact]
    public void Boundary_suppression_replaces_boundary_pixels_by_the_mean_of_their_non_boundary_neighbours()
    {
        const int classes = 3;
        const int height = 14;
        const int width = 17;
        var pixels = height * width;
        var stats = Stats(classes, 3);
        var logits = RandomLogits(classes, pixels, 4);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // class regions: left (0), right (1), a block (2); the argmax class gets a large margin
                var c = x < 7 ? 0 : (y is > 3 and < 9 && x > 11 ? 2 : 1);
                logits[(c * pixels) + (y * width) + x] += 20;
            }
        }

        var post = new SmlPostProcessing { BoundarySuppression = true, BoundaryWidth = 3, BoundaryIterations = 2 };
        var scores = new float[pixels];
        using var scorer = new StandardizedMaxLogitScorer(stats, post, height, width);

        scorer.Score(logits, classes, scores);

        var (sml, predicted) = Naive(logits, classes, pixels, stats);
        foreach (var r in new[] { 3, 2 }) // round(3 - i * 1.5) for i = 0, 1
        {
            var boundary = new bool[pixels];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    int min = int.MaxValue, max = int.MinValue;
                    for (var dy = -r; dy <= r; dy++)
                    {
                        for (var dx = -r; dx <= r; dx++)
                        {
                            var c = predicted[(Math.Clamp(y + dy, 0, height - 1) * width) + Math.Clamp(x + dx, 0, width - 1)];
                            min = Math.Min(min, c);
                            max = Math.Max(max, c);
                        }
                    }

                    boundary[(y * width) + x] = min != max;
                }
            }

            var next = (double[])sml.Clone();
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (!boundary[(y * width) + x])
                    {
                        continue;
                    }

                    double sum = 0;
                    var count = 0;
                    for (var ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                    {
                        for (var nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                        {
                            if (!boundary[(ny * width) + nx])
                            {
                                sum += sml[(ny * width) + nx];
                                count++;
                            }
                        }
                    }

                    if (count > 0)
                    {
                        next[(y * width) + x] = sum / count;
                    }
                }
            }

            sml = next;
        }

        for (var i = 0; i < pixels; i++)
        {
            Assert.True(Math.Abs(sml[i] - scores[i]) < 1e-3, $"pixel ({i % width}, {i / width}): expected {sml[i]}, got {scores[i]}");
        }
    }

    [Fact]
    public void Dilated_smoothing_is_a_dilated_gaussian_with_reflected_borders()
    {
        const int classes = 4;
        const int height = 21;
        const int width = 26;
        var pixels = height * width;
        var stats = Stats(classes, 5);
        var logits = RandomLogits(classes, pixels, 6);
        var post = new SmlPostProcessing { DilatedSmoothing = true, SmoothingKernel = 5, SmoothingDilation = 3, SmoothingSigma = 1.2 };
        var scores = new float[pixels];
        using var scorer = new StandardizedMaxLogitScorer(stats, post, height, width);

        scorer.Score(logits, classes, scores);

        var (sml, _) = Naive(logits, classes, pixels, stats);
        var weights = Enumerable.Range(-2, 5).Select(k => Math.Exp(-(k * k) / (2 * 1.2 * 1.2))).ToArray();
        var total = weights.Sum();
        static int Reflect(int p, int n) => p < 0 ? -p - 1 : p >= n ? (2 * n) - p - 1 : p;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double expected = 0;
                for (var i = 0; i < 5; i++)
                {
                    for (var j = 0; j < 5; j++)
                    {
                        var sy = Reflect(y + ((i - 2) * 3), height);
                        var sx = Reflect(x + ((j - 2) * 3), width);
                        expected += weights[i] / total * weights[j] / total * sml[(sy * width) + sx];
                    }
                }

                Assert.True(Math.Abs(expected - scores[(y * width) + x]) < 1e-3, $"pixel ({x}, {y}): expected {expected}, got {scores[(y * width) + x]}");
            }
        }

        var taps = StandardizedMaxLogitScorer.DilatedGaussianTaps(5, 1.2, 3);
        Assert.Equal(13, taps.Length);
        Assert.Equal(1.0, taps.Sum(), 5);
        Assert.Equal(0f, taps[1]);
    }

    [Fact]
    public void Factory_creates_SML_from_card_statistics_and_refuses_without_them()
    {
        var stats = Stats(20, 7);
        var scorer = AnomalyScorerFactory.Create("sml", new ScorerOptions { Sml = stats });
        Assert.Equal("SML", Assert.IsType<StandardizedMaxLogitScorer>(scorer).Name);
        Assert.IsType<StandardizedMaxLogitScorer>(AnomalyScorerFactory.Create(ScoreKind.Sml, new ScorerOptions { Sml = stats }));

        var missing = Assert.Throws<ArgumentException>(() => AnomalyScorerFactory.Create("SML"));
        Assert.Contains("calibrate-sml", missing.Message, StringComparison.Ordinal);
        var noSize = Assert.Throws<ArgumentException>(() => AnomalyScorerFactory.Create("SML", new ScorerOptions { Sml = stats, SmlPostProcessing = new SmlPostProcessing { DilatedSmoothing = true } }));
        Assert.Contains("map size", noSize.Message, StringComparison.Ordinal);
        var wrongChannels = Assert.Throws<ArgumentException>(() => scorer.Score(new float[19 * 4], 19, new float[4]));
        Assert.Contains("20 classes", wrongChannels.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_card_validates_sml_fields_and_round_trips_them()
    {
        var card = Tests.Models.ModelCardTests.Sample();
        var bad = card with
        {
            Sml = new SmlStatistics { ClassMeans = [1, 2], ClassStds = [.. Enumerable.Repeat(0.0, 20)], Frames = 0, Source = [] },
        };

        var errors = bad.Validate();

        Assert.Contains("sml.class_means: expected 20 values (one per class), got 2", errors);
        Assert.Contains(errors, e => e.StartsWith("sml.class_stds: expected finite values > 0", StringComparison.Ordinal));
        Assert.Contains("sml.frames: expected >= 1, got 0", errors);
        Assert.Contains(errors, e => e.StartsWith("sml.source:", StringComparison.Ordinal));

        var path = Path.Combine(Support.TestPaths.NewTempDirectory(), "m.json");
        var good = card with { Sml = Stats(20, 8) };
        good.Save(path);
        var loaded = ModelCard.Load(path);
        Assert.Equal(good.Sml!.ClassMeans, loaded.Sml!.ClassMeans);
        Assert.Equal(good.Sml.ClassStds, loaded.Sml.ClassStds);
        Assert.Equal(3, loaded.Sml.Frames);
        Assert.Equal(["synthetic"], loaded.Sml.Source);
    }
}
