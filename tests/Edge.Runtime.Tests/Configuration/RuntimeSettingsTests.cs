using Edge.Runtime.Benchmarking;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hazards;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Configuration;

public sealed class RuntimeSettingsTests
{
    [Fact]
    public void Example_settings_file_loads_and_is_valid()
    {
        var root = Edge.Runtime.Configuration.SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var settings = RuntimeSettings.Load(Path.Combine(root, "deploy", "edgeseg.example.json"), new Dictionary<string, string?>());
        Assert.Empty(settings.Validate());
    }

    [Theory]
    [InlineData("edgeseg.csi-tensorrt-fp16.json", InferencePrecision.Fp16, true, false)]
    [InlineData("edgeseg.csi-tensorrt-int8.json", InferencePrecision.Int8, true, true)]
    public void Jetson_templates_load_and_map_tensorrt_precision_and_caches_to_the_provider(string file, InferencePrecision precision, bool fp16, bool int8)
    {
        var root = Edge.Runtime.Configuration.SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var settings = RuntimeSettings.Load(Path.Combine(root, "deploy", "jetson", "config", file), new Dictionary<string, string?>());

        Assert.Empty(settings.Validate());
        Assert.Equal(precision, settings.Model.TensorRt.Precision);
        var session = settings.Model;
        Assert.Equal((fp16, int8), (session.TensorRt.Fp16, session.TensorRt.Int8));
        Assert.Equal("/var/cache/edgeseg/trt", session.TensorRt.EngineCacheDirectory);
        Assert.Equal("/var/cache/edgeseg/trt", session.TensorRt.TimingCacheDirectory);
        Assert.Equal(["tensorrt", "cuda", "cpu"], session.Providers);
    }

    [Fact]
    public void Tensorrt_section_rejects_unknown_precision_and_empty_cache_folder()
    {
        var dir = TestPaths.NewTempDirectory();
        var badPrecision = Path.Combine(dir, "precision.json");
        File.WriteAllText(badPrecision, """{ "model": { "tensorrt": { "precision": "fp8" } } }""");
        var ex = Assert.Throws<InvalidDataException>(() => RuntimeSettings.Load(badPrecision, new Dictionary<string, string?>()));
        Assert.Contains("$.model.tensorrt.precision", ex.Message, StringComparison.Ordinal);

        var settings = new RuntimeSettings { Model = new() { ModelPath = "m.onnx", TensorRt = new() { EngineCacheDirectory = " ", DeviceId = -1 } } };
        var errors = settings.Validate();
        Assert.Contains("model.tensorrt.engine_cache_dir: expected a folder path or null, got an empty string", errors);
        Assert.Contains("model.tensorrt.device_id: expected >= 0, got -1", errors);
    }

    [Fact]
    public void Default_tensorrt_precision_is_fp16_without_caches()
    {
        var session = new RuntimeSettings().Model;
        Assert.Equal((true, false, null, null), (session.TensorRt.Fp16, session.TensorRt.Int8, session.TensorRt.EngineCacheDirectory, session.TensorRt.TimingCacheDirectory));
    }

    [Fact]
    public void Environment_overrides_nested_fields_with_typed_values()
    {
        var env = new Dictionary<string, string?>
        {
            ["EDGESEG__SOURCE__URI"] = "rtsp://cam/1",
            ["EDGESEG__MQTT__PORT"] = "8883",
            ["EDGESEG__HAZARDS__ROAD_AREA__MODE"] = "Polygon",
            ["EDGESEG__TRACKING__CONFIRM_FRAMES"] = "4",
            ["OTHER"] = "x",
        };
        var settings = RuntimeSettings.Load(null, env);
        Assert.Equal("rtsp://cam/1", settings.Source.Uri);
        Assert.Equal(8883, settings.Mqtt.Port);
        Assert.Equal(RoadAreaMode.Polygon, settings.Hazards.RoadArea.Mode);
        Assert.Equal(4, settings.Tracking.ConfirmFrames);
    }

    [Fact]
    public void Validation_names_field_expected_and_actual()
    {
        var settings = new RuntimeSettings
        {
            Tracking = new() { ConfirmFrames = 0 },
            Mqtt = new() { Port = 70000 },
            Pipeline = new() { CaptureCapacity = 5 },
        };
        var errors = settings.Validate();
        Assert.Contains("tracking.confirm_frames: expected >= 1, got 0", errors);
        Assert.Contains("mqtt.port: expected 1..65535, got 70000", errors);
        Assert.Contains("pipeline.capture_capacity: expected 1 or 2, got 5", errors);
    }

    [Fact]
    public void Unknown_field_in_file_is_an_error_naming_it()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bad.json");
        File.WriteAllText(path, """{ "tracking": { "confirm_framez": 2 } }""");
        var ex = Assert.Throws<InvalidDataException>(() => RuntimeSettings.Load(path, new Dictionary<string, string?>()));
        Assert.Contains("confirm_framez", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broker_uri_sets_host_port_and_tls()
    {
        var mqtt = new MqttSettings().WithUri("mqtts://broker.fleet:8884");
        Assert.Equal(("broker.fleet", 8884, true), (mqtt.Host, mqtt.Port, mqtt.UseTls));
        Assert.Throws<ArgumentException>(() => new MqttSettings().WithUri("http://x"));
    }
}
