using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Preprocessing;
using Edge.Runtime.Scoring;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Hazards;

/// <summary>
/// The SIMD threshold, the run-based road dilation and the per-component accumulation give exactly the hazards of
/// the previous implementation (<see cref="ReferenceHazardExtractor"/> + <see cref="ReferenceModelRoadArea"/>, kept
/// verbatim) on random and real score maps.
/// </summary>
public sealed class HazardExtractorParityTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_score_maps_give_the_hazards_of_the_reference_algorithm(int seed)
    {
        var random = new Random(seed);
        var width = 160 + random.Next(97);
        var height = 80 + random.Next(61);
        var map = RandomMap(random, width, height);
        var polygon = new List<IReadOnlyList<double>> { new[] { 0.1, 0.4 }, new[] { 0.9, 0.45 }, new[] { 1.0, 1.0 }, new[] { 0.0, 0.95 } };
        var variants = new (HazardSettings Settings, Func<IDrivableArea> Area, Func<IDrivableArea> Reference)[]
        {
            (new HazardSettings { MinAreaPx = 1 }, () => new ModelRoadArea(7), () => new ReferenceModelRoadArea(7)),
            (new HazardSettings { MinAreaPx = 50, RoadArea = new RoadAreaSettings { DilatePx = 25, Restrict = false } }, () => new ModelRoadArea(25), () => new ReferenceModelRoadArea(25)),
            (new HazardSettings { MinAreaPx = 20, OpenKernelPx = 0, CloseKernelPx = 0, RoadArea = new RoadAreaSettings { DilatePx = 0 } }, () => new ModelRoadArea(0), () => new ReferenceModelRoadArea(0)),
            (new HazardSettings { MinAreaPx = 1, OpenKernelPx = 0, CloseKernelPx = 5, MaxHazards = 3, RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.None } }, () => new WholeFrameArea(), () => new WholeFrameArea()),
            (new HazardSettings { MinAreaPx = 9, RoadArea = new RoadAreaSettings { Mode = RoadAreaMode.Polygon, Polygon = polygon, Restrict = false } }, () => new PolygonRoadArea(polygon), () => new PolygonRoadArea(polygon)),
        };

        foreach (var threshold in new[] { 0.5f, 0.8f, 0.95f })
        {
            foreach (var (settings, area, reference) in variants)
            {
                AssertSameHazards(map, settings, threshold, area(), reference(), 4 * width / 3, 2 * height);
            }
        }
    }

    [Fact]
    public void Real_enet_score_maps_of_a_dashcam_clip_give_the_hazards_of_the_reference_algorithm()
    {
        var model = RepoPaths.File("models/enet-seed-560-void.onnx");
        Assert.True(File.Exists(model), $"{model} is missing: run `make models`.");
        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = model }, NullLogger.Instance);
        using var preprocessor = new CameraPreprocessor(session.InputHeight, session.InputWidth);
        var scorer = new VoidClassScorer();
        var map = new ScoreMap(session.InputWidth, session.InputHeight);
        using var capture = new VideoCapture(Path.Combine(SharedData.Resolve(), "data", "videos", "highway-vehicles.mp4"), VideoCaptureAPIs.FFMPEG);
        Assert.True(capture.IsOpened());
        using var frame = new Mat();
        var hazardsSeen = 0;
        for (var f = 0; f < 2; f++)
        {
            capture.Set(VideoCaptureProperties.PosFrames, f * 20);
            Assert.True(capture.Read(frame) && !frame.Empty());
            preprocessor.Process(frame, session.InputBuffer);
            session.Run();
            scorer.Score(session.Logits, session.ClassCount, map.Scores);
            OnnxFrameAnalyzer.LabelRoad(session.Logits, session.ClassCount, map.PixelCount, 0, map.Road);
            Assert.Contains(map.Road, b => b == 255);

            // Thresholds at score quantiles, so that every frame has components to compare whatever the scores' scale.
            var sorted = map.Scores.ToArray();
            Array.Sort(sorted);
            foreach (var quantile in new[] { 0.9, 0.97, 0.995 })
            {
                var threshold = sorted[(int)(quantile * (sorted.Length - 1))];
                foreach (var restrict in new[] { true, false })
                {
                    var settings = new HazardSettings { MinAreaPx = 200, RoadArea = new RoadAreaSettings { DilatePx = 25, Restrict = restrict } };
                    hazardsSeen += AssertSameHazards(map, settings, threshold, new ModelRoadArea(25), new ReferenceModelRoadArea(25), frame.Width, frame.Height);
                }
            }
        }

        Assert.True(hazardsSeen > 0, "expected the quantile thresholds to produce hazards to compare");
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(3, 0.02)]
    [InlineData(10, 0.3)]
    [InlineData(25, 0.01)]
    [InlineData(25, 0.6)]
    public void Run_based_dilation_equals_opencv_dilate_with_the_ellipse(int radius, double density)
    {
        var random = new Random(radius * 1000 + (int)(density * 100));
        const int width = 203, height = 117;
        var source = new byte[width * height];
        // A road-like band, random specks (many runs: density 0.3-0.6 takes the OpenCV fallback) and set borders.
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var band = y > height / 2 && Math.Abs(x - (width / 2)) < (y - (height / 2)) * 2;
                source[(y * width) + x] = band || random.NextDouble() < density ? (byte)255 : (byte)0;
            }
        }

        source[0] = 255;
        source[^1] = 255;
        using var dilation = new EllipseDilation(radius);
        var actual = new byte[source.Length];
        dilation.Apply(source, actual, width, height);

        using var input = Mat.FromPixelData(height, width, MatType.CV_8UC1, source);
        using var expected = new Mat();
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size((2 * radius) + 1, (2 * radius) + 1));
        Cv2.Dilate(input, expected, kernel);
        expected.GetArray(out byte[] expectedBytes);
        Assert.Equal(expectedBytes, actual);
    }

    [Fact]
    public void Simd_threshold_mask_equals_a_scalar_comparison_including_nan_and_the_tail()
    {
        var random = new Random(7);
        foreach (var length in new[] { 1, 31, 32, 33, 64, 1000, 4099 })
        {
            var scores = new float[length];
            for (var i = 0; i < length; i++)
            {
                scores[i] = (i % 17) switch
                {
                    0 => float.NaN,
                    1 => 0.5f,
                    2 => float.PositiveInfinity,
                    _ => random.NextSingle(),
                };
            }

            var mask = new byte[length + 3];
            mask.AsSpan().Fill(7);
            var any = HazardExtractor.ThresholdMask(scores, 0.5f, mask);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(scores[i] >= 0.5f ? (byte)255 : (byte)0, mask[i]);
            }

            Assert.Equal(7, mask[length]); // nothing written past the scores
            Assert.Equal(scores.Any(s => s >= 0.5f), any);
        }

        var low = new float[100];
        low.AsSpan().Fill(0.1f);
        Assert.False(HazardExtractor.ThresholdMask(low, 0.5f, new byte[100]));
    }

    private static int AssertSameHazards(ScoreMap map, HazardSettings settings, float threshold, IDrivableArea area, IDrivableArea referenceArea, int sourceWidth, int sourceHeight)
    {
        using var extractor = new HazardExtractor(settings, threshold, area);
        using var reference = new ReferenceHazardExtractor(settings, threshold, referenceArea);
        var actual = new List<Hazard>();
        var expected = new List<Hazard>();
        extractor.Extract(map, sourceWidth, sourceHeight, actual);
        reference.Extract(map, sourceWidth, sourceHeight, expected);
        Assert.Equal(expected, actual); // record struct equality: every field, floats bit for bit
        return expected.Count;
    }

    /// <summary>Smooth blobs of high score over low noise, a road band in the lower half with ragged edges.</summary>
    private static ScoreMap RandomMap(Random random, int width, int height)
    {
        var map = new ScoreMap(width, height);
        for (var i = 0; i < map.PixelCount; i++)
        {
            map.Scores[i] = random.NextSingle() * 0.6f;
        }

        for (var b = 0; b < 25; b++)
        {
            var cx = random.Next(width);
            var cy = random.Next(height);
            var radius = 1 + random.Next(12);
            var peak = 0.7f + (random.NextSingle() * 0.3f);
            for (var y = Math.Max(0, cy - radius); y < Math.Min(height, cy + radius); y++)
            {
                for (var x = Math.Max(0, cx - radius); x < Math.Min(width, cx + radius); x++)
                {
                    var d = Math.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) / radius;
                    if (d < 1)
                    {
                        map.Scores[(y * width) + x] = Math.Max(map.Scores[(y * width) + x], peak * (float)(1 - (0.3 * d)) + (random.NextSingle() * 0.05f));
                    }
                }
            }
        }

        for (var y = height / 2; y < height; y++)
        {
            var half = (y - (height / 2)) + random.Next(6);
            for (var x = Math.Max(0, (width / 2) - half); x < Math.Min(width, (width / 2) + half); x++)
            {
                map.Road[(y * width) + x] = 255;
            }
        }

        return map;
    }
}
