using System.Runtime.InteropServices;
using Edge.Runtime.Configuration;
using Edge.Runtime.Preprocessing;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Preprocessing;

/// <summary>
/// The one-pass camera preprocessor writes exactly (tolerance 0: the same float32 bits) what the previous
/// implementation wrote: OpenCV resize (INTER_AREA when shrinking both axes, else INTER_LINEAR) → BGR2RGB →
/// CHW <c>value / 255f</c> per channel.
/// </summary>
public sealed class CameraPreprocessorTests
{
    [Theory]
    [InlineData(1280, 720, 64, 128)]  // shrink both axes: INTER_AREA
    [InlineData(960, 540, 512, 1024)] // wider, shorter: INTER_LINEAR
    [InlineData(100, 50, 100, 200)]   // enlarge
    [InlineData(203, 77, 77, 203)]    // same size: no resize, odd width (scalar tail)
    [InlineData(37, 29, 13, 15)]      // tiny, width below one SIMD step
    public void Random_frames_give_the_previous_implementations_tensor_bit_for_bit(int sourceWidth, int sourceHeight, int height, int width)
    {
        var random = new Random(sourceWidth + height);
        using var frame = new Mat(sourceHeight, sourceWidth, MatType.CV_8UC3);
        var bytes = new byte[sourceWidth * sourceHeight * 3];
        random.NextBytes(bytes);
        Marshal.Copy(bytes, 0, frame.Data, bytes.Length);

        AssertSameAsReference(frame, height, width);
    }

    [Theory]
    [InlineData(1280, 720, 512, 1024)] // shrink both axes: INTER_AREA
    [InlineData(960, 540, 512, 1024)]  // wider, shorter: INTER_LINEAR
    public void Resizing_on_the_capture_thread_first_gives_the_same_tensor_bit_for_bit(int sourceWidth, int sourceHeight, int height, int width)
    {
        var random = new Random(sourceWidth);
        using var frame = new Mat(sourceHeight, sourceWidth, MatType.CV_8UC3);
        var bytes = new byte[sourceWidth * sourceHeight * 3];
        random.NextBytes(bytes);
        Marshal.Copy(bytes, 0, frame.Data, bytes.Length);
        using var preprocessor = new CameraPreprocessor(height, width);
        var direct = new float[preprocessor.TensorLength];
        preprocessor.Process(frame, direct);

        using var resized = new Mat();
        CameraPreprocessor.ResizeTo(frame, resized, width, height);
        var split = new float[preprocessor.TensorLength];
        preprocessor.Process(resized, split);
        Assert.True(direct.AsSpan().SequenceEqual(split), "resize-then-convert must equal the preprocessor's own resize");
    }

    [Fact]
    public void A_non_continuous_region_of_interest_is_read_row_by_row()
    {
        var random = new Random(5);
        using var big = new Mat(300, 500, MatType.CV_8UC3);
        var bytes = new byte[300 * 500 * 3];
        random.NextBytes(bytes);
        Marshal.Copy(bytes, 0, big.Data, bytes.Length);
        using var roi = new Mat(big, new Rect(13, 7, 240, 120));
        Assert.False(roi.IsContinuous());

        AssertSameAsReference(roi, 120, 240); // same size: the SIMD pass reads the ROI in place
        AssertSameAsReference(roi, 64, 128);
    }

    [Fact]
    public void Real_dashcam_frames_give_the_previous_implementations_tensor_bit_for_bit()
    {
        foreach (var clip in new[] { "highway-vehicles.mp4", "highway-solidWhiteRight.mp4" })
        {
            using var capture = new VideoCapture(Path.Combine(SharedData.Resolve(), "data", "videos", clip), VideoCaptureAPIs.FFMPEG);
            Assert.True(capture.IsOpened(), clip);
            using var frame = new Mat();
            Assert.True(capture.Read(frame) && !frame.Empty(), clip);
            AssertSameAsReference(frame, 512, 1024);
        }
    }

    [Theory]
    [InlineData(128, 256, 0)]    // no resize: nothing at all
    [InlineData(64, 128, 256)]   // resize: only OpenCvSharp's InputArray/OutputArray wrappers of the Cv2.Resize call
    public void Processing_a_frame_allocates_no_buffers(int height, int width, int maxBytesPerFrame)
    {
        using var frame = new Mat(128, 256, MatType.CV_8UC3, Scalar.All(90));
        using var preprocessor = new CameraPreprocessor(height, width);
        var tensor = new float[preprocessor.TensorLength];
        preprocessor.Process(frame, tensor); // warm-up (JIT)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            preprocessor.Process(frame, tensor);
        }

        var perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        Assert.True(perFrame <= maxBytesPerFrame, $"expected at most {maxBytesPerFrame} managed bytes per frame, got {perFrame}");
    }

    private static void AssertSameAsReference(Mat frame, int height, int width)
    {
        using var preprocessor = new CameraPreprocessor(height, width);
        var actual = new float[preprocessor.TensorLength + 4];
        actual.AsSpan().Fill(-1f);
        preprocessor.Process(frame, actual);
        var expected = Reference(frame, height, width);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"tensor value {i} (channel {i / (height * width)}, pixel {i % (height * width)}): expected {expected[i]:R}, got {actual[i]:R}");
            }
        }

        Assert.All(actual[expected.Length..], v => Assert.Equal(-1f, v));
    }

    /// <summary>CameraPreprocessor.Process as it was before the one-pass rewrite.</summary>
    private static float[] Reference(Mat bgr, int height, int width)
    {
        using var resized = new Mat(height, width, MatType.CV_8UC3);
        var rgbBytes = new byte[height * width * 3];
        using var rgb = Mat.FromPixelData(height, width, MatType.CV_8UC3, rgbBytes);
        if (bgr.Width == width && bgr.Height == height)
        {
            Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        }
        else
        {
            var shrinking = bgr.Width > width && bgr.Height > height;
            Cv2.Resize(bgr, resized, new Size(width, height), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
            Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        }

        var chw = new float[3 * height * width];
        var pixels = height * width;
        for (var i = 0; i < pixels; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * pixels) + i] = rgbBytes[(3 * i) + c] / 255f;
            }
        }

        return chw;
    }
}
