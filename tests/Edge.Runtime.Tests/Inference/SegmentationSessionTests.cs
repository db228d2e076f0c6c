using Edge.Runtime.Inference;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Tests.Inference;

public sealed class SegmentationSessionTests
{
    [Fact]
    public void Tiny_conv_model_logits_match_independent_computation()
    {
        var model = new TinyConvModel();
        var path = model.WriteTo(TestPaths.NewTempDirectory());
        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path, IntraOpThreads = 1 }, NullLogger.Instance);
        var random = new Random(42);
        for (var i = 0; i < session.InputBuffer.Length; i++)
        {
            session.InputBuffer[i] = random.NextSingle();
        }

        session.Run();

        Assert.Equal([1, 3, 8, 16], session.InputShape);
        Assert.Equal([1, 20, 8, 16], session.OutputShape);
        var expected = model.Evaluate(session.InputBuffer);
        Assert.Equal(expected.Length, session.Logits.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - session.Logits[i]) < 1e-5, $"logit {i}: expected {expected[i]}, got {session.Logits[i]}");
        }
    }

    [Fact]
    public void Second_run_reuses_buffers_and_reflects_new_input()
    {
        var model = new TinyConvModel(height: 4, width: 4, classes: 5);
        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = model.WriteTo(TestPaths.NewTempDirectory()) }, NullLogger.Instance);
        session.InputBuffer.Fill(0f);
        session.Run();
        var first = session.Logits.ToArray();

        session.InputBuffer.Fill(1f);
        session.Run();

        Assert.Equal(model.Bias, first.Where((_, i) => i % 16 == 0));
        var expected = model.Evaluate(session.InputBuffer);
        Assert.Equal(expected.Select(v => (float)Math.Round(v, 4)), session.Logits.ToArray().Select(v => (float)Math.Round(v, 4)));
    }

    [Fact]
    public void Provider_chain_falls_back_to_cpu_with_warnings()
    {
        var path = new TinyConvModel().WriteTo(TestPaths.NewTempDirectory());
        var logger = new CapturingLogger();

        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = path, Providers = ["tensorrt", "cuda", "cpu"] },
            logger);
        session.Run();

        Assert.Equal("cpu", session.Provider);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains(warnings, w => w.Contains("tensorrt", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("cuda", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("runs on cpu", StringComparison.Ordinal));
    }

    [Fact]
    public void Chain_always_ends_with_cpu_and_rejects_unknown_names()
    {
        var chain = ExecutionProviderChain.Create(["CPU, cuda", "tensorrt"]);

        Assert.Equal(["cuda", "tensorrt", "cpu"], chain.Select(p => p.Name));
        var ex = Assert.Throws<ArgumentException>(() => ExecutionProviderChain.Create(["openvino"]));
        Assert.Contains("'openvino'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorRt_options_fix_profile_to_input_shape()
    {
        var provider = new TensorRtExecutionProvider(new TensorRtSettings { Precision = Edge.Runtime.Benchmarking.InferencePrecision.Fp16, EngineCacheDirectory = "/tmp/engines", TimingCacheDirectory = "/tmp/timing" });

        var options = provider.BuildOptions(new ExecutionProviderContext("m.onnx", "image", [1, 3, 512, 1024]));

        Assert.Equal("1", options["trt_fp16_enable"]);
        Assert.Equal("0", options["trt_int8_enable"]);
        Assert.Equal("1", options["trt_engine_cache_enable"]);
        Assert.Equal("/tmp/engines", options["trt_engine_cache_path"]);
        Assert.Equal("1", options["trt_timing_cache_enable"]);
        Assert.Equal("image:1x3x512x1024", options["trt_profile_min_shapes"]);
        Assert.Equal("image:1x3x512x1024", options["trt_profile_opt_shapes"]);
        Assert.Equal("image:1x3x512x1024", options["trt_profile_max_shapes"]);
    }

    [Fact]
    public void Missing_model_file_is_reported_by_name()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "absent.onnx");

        var ex = Assert.Throws<FileNotFoundException>(() => SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path }, NullLogger.Instance));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_file_gives_clear_error_naming_the_file()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "corrupt.onnx");
        File.WriteAllBytes(path, [0x08, 0xFF, 0xFF, 0x13, 0x37, 0x00, 0x42]);

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path, Providers = ["cuda", "cpu"] }, NullLogger.Instance));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.ModelPath);
    }

    [Fact]
    public void Wrong_input_name_is_rejected_with_expected_and_actual()
    {
        var path = new TinyConvModel(inputName: "input").WriteTo(TestPaths.NewTempDirectory());

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path }, NullLogger.Instance));

        Assert.Contains("expected exactly one input 'image', got [input]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_channel_count_is_rejected()
    {
        var path = new TinyConvModel(channels: 4).WriteTo(TestPaths.NewTempDirectory());

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path }, NullLogger.Instance));

        Assert.Contains("expected shape [1, 3, H, W]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 4, 8, 16]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_reject_bad_thread_count_with_expected_and_actual()
    {
        var settings = new SegmentationSessionSettings { ModelPath = "m.onnx", IntraOpThreads = 0 };

        var ex = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Contains("expected >= 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_thread_count_is_all_cores()
    {
        var path = new TinyConvModel().WriteTo(TestPaths.NewTempDirectory());

        using var session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = path }, NullLogger.Instance);

        Assert.Equal(Environment.ProcessorCount, session.IntraOpThreads);
    }
}
