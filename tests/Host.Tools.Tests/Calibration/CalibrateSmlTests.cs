using Host.Tools.Calibration;
using Host.Tools.Commands;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace Host.Tools.Tests.Calibration;

public sealed class CalibrateSmlTests
{
    /// <summary>Returns prepared logits frame after frame, whatever the image (the statistics depend only on them).</summary>
    private sealed class ScriptedLogits(int classes, int height, int width, IReadOnlyList<float[]> frames) : ILogitSource
    {
        private int _next;

        public string Description => "scripted";

        public int Height => height;

        public int Width => width;

        public int Classes => classes;

        public int Calls => _next;

        public ReadOnlySpan<float> Run(ReadOnlySpan<float> chw)
        {
            Assert.Equal(3 * height * width, chw.Length);
            return frames[_next++];
        }

        public void Dispose()
        {
        }
    }

    private static List<float[]> RandomFrames(int count, int classes, int pixels, int seed)
    {
        var random = new Random(seed);
        var frames = new List<float[]>();
        for (var f = 0; f < count; f++)
        {
            var logits = new float[classes * pixels];
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] = (float)((random.NextDouble() * 8) - 2 + (i / pixels)); // later classes a little larger
            }

            frames.Add(logits);
        }

        return frames;
    }

    /// <summary>Two-pass mean and population std of the max logit per argmax class over all frames.</summary>
    private static (double[] Mean, double[] Std, long[] Count) Direct(IReadOnlyList<float[]> frames, int classes, int pixels)
    {
        var values = Enumerable.Range(0, classes).Select(_ => new List<double>()).ToArray();
        foreach (var logits in frames)
        {
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

                values[best].Add(logits[(best * pixels) + i]);
            }
        }

        var mean = values.Select(v => v.Count > 0 ? v.Average() : double.NaN).ToArray();
        var std = values.Select((v, c) => v.Count > 0 ? Math.Sqrt(v.Sum(x => (x - mean[c]) * (x - mean[c])) / v.Count) : double.NaN).ToArray();
        return (mean, std, [.. values.Select(v => (long)v.Count)]);
    }

    [Fact]
    public void Accumulated_statistics_match_a_two_pass_computation_over_all_frames()
    {
        const int classes = 5;
        const int pixels = 997;
        var frames = RandomFrames(4, classes, pixels, 11);
        var accumulator = new SmlAccumulator(classes);

        foreach (var frame in frames)
        {
            accumulator.Add(frame, pixels);
        }

        var stats = accumulator.ToStatistics(["a", "b"]);
        var (mean, std, count) = Direct(frames, classes, pixels);
        Assert.Equal(4, stats.Frames);
        Assert.Equal(count, accumulator.Counts);
        for (var c = 0; c < classes; c++)
        {
            Assert.True(count[c] > 0, $"class {c} should be predicted somewhere in the synthetic frames");
            Assert.Equal(mean[c], stats.ClassMeans[c], 9);
            Assert.Equal(std[c], stats.ClassStds[c], 9);
        }
    }

    [Fact]
    public void A_class_never_predicted_gets_the_statistics_of_all_pixels()
    {
        const int pixels = 6;
        var accumulator = new SmlAccumulator(3);
        // class 0 wins pixels 0..2 with 1, 2, 3; class 1 wins pixels 3..5 with 5, 5, 8; class 2 never wins
        float[] logits = [1, 2, 3, 0, 0, 0, 0, 0, 0, 5, 5, 8, -9, -9, -9, -9, -9, -9];

        accumulator.Add(logits, pixels);
        var stats = accumulator.ToStatistics(["x"]);

        Assert.Equal([2], accumulator.UnseenClasses);
        Assert.Equal(2.0, stats.ClassMeans[0], 12);
        Assert.Equal(Math.Sqrt(2.0 / 3), stats.ClassStds[0], 12);
        Assert.Equal(6.0, stats.ClassMeans[1], 12);
        Assert.Equal(Math.Sqrt(2.0), stats.ClassStds[1], 12);
        var all = new double[] { 1, 2, 3, 5, 5, 8 };
        Assert.Equal(all.Average(), stats.ClassMeans[2], 12);
        Assert.Equal(Math.Sqrt(all.Sum(x => (x - all.Average()) * (x - all.Average())) / 6), stats.ClassStds[2], 12);
    }

    [Fact]
    public void The_void_channel_is_left_out_of_the_argmax_as_the_scorer_does()
    {
        const int pixels = 4;
        var accumulator = new SmlAccumulator(3, ignoreChannel: 2);
        // void (channel 2) is the largest everywhere; among classes 0 and 1: 0 wins pixels 0, 1 (4, 6), 1 wins 2, 3 (3, 5)
        float[] logits = [4, 6, 0, 0, 1, 1, 3, 5, 9, 9, 9, 9];

        accumulator.Add(logits, pixels);
        var stats = accumulator.ToStatistics(["x"]);

        Assert.Equal([2L, 2L, 0L], accumulator.Counts);
        Assert.Empty(accumulator.UnseenClasses);
        Assert.Equal(5.0, stats.ClassMeans[0], 12);
        Assert.Equal(1.0, stats.ClassStds[0], 12);
        Assert.Equal(4.0, stats.ClassMeans[1], 12);
        Assert.Equal(4.5, stats.ClassMeans[2], 12); // the ignored class gets the all-pixel mean of (4, 6, 3, 5)
    }

    [Fact]
    public void Calibrate_reads_every_image_of_the_folders_and_skips_label_files()
    {
        var root = Directory.CreateTempSubdirectory("sml-").FullName;
        var images = Path.Combine(root, "images");
        Directory.CreateDirectory(Path.Combine(images, "nested"));
        Directory.CreateDirectory(Path.Combine(root, "labels_masks"));
        using (var frame = new Mat(24, 40, MatType.CV_8UC3, Scalar.All(90)))
        {
            Cv2.ImWrite(Path.Combine(images, "a.png"), frame);
            Cv2.ImWrite(Path.Combine(images, "nested", "b.jpg"), frame);
            Cv2.ImWrite(Path.Combine(images, "a_gtFine_labelIds.png"), frame);
            Cv2.ImWrite(Path.Combine(root, "labels_masks", "a.png"), frame);
        }

        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image");
        const int classes = 4;
        const int height = 8;
        const int width = 16;
        var frames = RandomFrames(2, classes, height * width, 12);
        using var source = new ScriptedLogits(classes, height, width, frames);

        var stats = CalibrateSmlCommand.Calibrate(source, new SmlFrameSource([root], 1, 100), NullLogger.Instance);

        Assert.Equal(2, source.Calls);
        Assert.Equal(2, stats.Frames);
        Assert.Equal(stats.Frames, new SmlFrameSource([root], 1, 100).CountFrames()); // the progress total
        Assert.Equal(1, new SmlFrameSource([root], 1, 1).CountFrames());
        Assert.Equal([root], stats.Source);
        var (mean, std, _) = Direct(frames, classes, height * width);
        for (var c = 0; c < classes; c++)
        {
            Assert.Equal(mean[c], stats.ClassMeans[c], 9);
            Assert.Equal(std[c], stats.ClassStds[c], 9);
        }

        var missing = Assert.Throws<ArgumentException>(() => new SmlFrameSource([Path.Combine(root, "nope.mp4")], 1, 10));
        Assert.Contains("nope.mp4", missing.Message, StringComparison.Ordinal);
        var empty = Directory.CreateTempSubdirectory("sml-empty-").FullName;
        var none = Assert.Throws<InvalidDataException>(() => CalibrateSmlCommand.Calibrate(source, new SmlFrameSource([empty], 1, 10), NullLogger.Instance));
        Assert.Contains(empty, none.Message, StringComparison.Ordinal);
    }
}
