using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Edge.Runtime.Configuration;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Configuration;

/// <summary>
/// One settings model: every <c>edgeseg.json</c> section is the options record its component takes, every option is
/// settable from the file and from <c>EDGESEG__</c> variables, and docs/runtime.md lists exactly the options there are.
/// </summary>
public sealed partial class SettingsModelTests
{
    private static string RepoRoot => SharedData.FindRepositoryRoot(AppContext.BaseDirectory)!;

    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Component_options_that_had_no_settings_field_are_set_from_the_file()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, """
            {
              "device_id": "Car-7",
              "mqtt": { "host": "broker.fleet", "tls": true, "ca_file": "/etc/edgeseg/ca.crt", "cert_file": "/etc/edgeseg/c.crt", "key_file": "/etc/edgeseg/c.key",
                        "topic_prefix": "fleet", "keep_alive_seconds": 12, "operation_timeout_seconds": 4, "reconnect_min_delay_seconds": 0.25,
                        "reconnect_max_delay_seconds": 8, "drain_timeout_seconds": 3, "allow_untrusted_certificates": true,
                        "home_assistant": { "enabled": true, "discovery_prefix": "ha" } },
              "queue": { "directory": "/data/q", "max_bytes": 1048576, "compaction_threshold_bytes": 4096 },
              "gps": { "enabled": true, "tcp_host": "127.0.0.1", "tcp_port": 2947, "max_fix_age_seconds": 3, "reconnect_delay_seconds": 1.5 },
              "gpio": { "enabled": true, "pin": 12, "active_high": false, "buzzer_pwm_chip": 0, "buzzer_pwm_channel": 1, "buzzer_frequency_hz": 3000, "buzzer_duty_cycle": 0.25 },
              "stats_interval_seconds": 7
            }
            """);

        var settings = RuntimeSettings.Load(path, NoEnvironment);

        Assert.Empty(settings.Validate());
        var mqtt = settings.MqttService("enet");
        Assert.Equal(("broker.fleet", true, "/etc/edgeseg/ca.crt", "/etc/edgeseg/c.crt", "/etc/edgeseg/c.key", "fleet"), (mqtt.Host, mqtt.UseTls, mqtt.CaFile, mqtt.CertFile, mqtt.KeyFile, mqtt.TopicPrefix));
        Assert.Equal((12.0, 4.0, 0.25, 8.0, 3.0), (mqtt.KeepAlive.TotalSeconds, mqtt.OperationTimeout.TotalSeconds, mqtt.ReconnectMinDelay.TotalSeconds, mqtt.ReconnectMaxDelay.TotalSeconds, mqtt.DrainTimeout.TotalSeconds));
        Assert.True(mqtt.AllowUntrustedCertificates);
        Assert.Equal(("car-7", 7.0, "ha", "enet"), (mqtt.DeviceId, mqtt.StatsInterval.TotalSeconds, mqtt.HomeAssistant.DiscoveryPrefix, mqtt.HomeAssistant.Model));
        Assert.Equal(("/data/q", 1048576L, 4096L), (settings.Queue.Directory, settings.Queue.MaxBytes, settings.Queue.CompactionThresholdBytes));
        Assert.True(settings.Gps.Enabled && settings.Gps.UsesTcp);
        Assert.Equal(("127.0.0.1", 2947, 3.0, 1.5), (settings.Gps.TcpHost, settings.Gps.TcpPort, settings.Gps.MaxFixAge.TotalSeconds, settings.Gps.ReconnectDelay.TotalSeconds));
        Assert.IsType<Edge.Runtime.Vehicle.TcpNmeaSource>(settings.Gps.CreateSource());
        Assert.Equal((true, 12, false, (int?)0, 1, 3000, 0.25), (settings.Gpio.Enabled, settings.Gpio.Pin, settings.Gpio.ActiveHigh, settings.Gpio.BuzzerPwmChip, settings.Gpio.BuzzerPwmChannel, settings.Gpio.BuzzerFrequencyHz, settings.Gpio.BuzzerDutyCycle));
    }

    [Fact]
    public void Component_options_are_set_from_environment_variables()
    {
        var env = new Dictionary<string, string?>
        {
            ["EDGESEG__MQTT__CA_FILE"] = "/etc/ca.pem",
            ["EDGESEG__MQTT__TLS"] = "true",
            ["EDGESEG__MQTT__HOST"] = "b",
            ["EDGESEG__MQTT__OPERATION_TIMEOUT_SECONDS"] = "2.5",
            ["EDGESEG__GPS__TCP_HOST"] = "gpsd.local",
            ["EDGESEG__GPS__MAX_FIX_AGE_SECONDS"] = "9",
            ["EDGESEG__GPIO__BUZZER_PWM_CHIP"] = "2",
            ["EDGESEG__QUEUE__COMPACTION_THRESHOLD_BYTES"] = "0",
            ["EDGESEG__SOURCE__READ_FAILURES_BEFORE_RECONNECT"] = "7",
            ["EDGESEG__MODEL__CUDA_DEVICE_ID"] = "1",
        };

        var settings = RuntimeSettings.Load(null, env);

        Assert.Empty(settings.Validate());
        Assert.Equal(("/etc/ca.pem", true, 2.5), (settings.Mqtt.CaFile, settings.Mqtt.UseTls, settings.Mqtt.OperationTimeout.TotalSeconds));
        Assert.Equal(("gpsd.local", 9.0), (settings.Gps.TcpHost, settings.Gps.MaxFixAge.TotalSeconds));
        Assert.Equal(2, settings.Gpio.BuzzerPwmChip);
        Assert.Equal(0, settings.Queue.CompactionThresholdBytes);
        Assert.Equal(7, settings.Source.ReadFailuresBeforeReconnect);
        Assert.Equal(1, settings.Model.CudaDeviceId);
    }

    [Fact]
    public void Each_component_rule_is_reported_once_with_its_json_path()
    {
        var settings = new RuntimeSettings
        {
            Mqtt = new() { Port = 0, ReconnectMinDelay = TimeSpan.FromSeconds(2), ReconnectMaxDelay = TimeSpan.FromSeconds(1) },
            Queue = new() { MaxBytes = 10 },
            Gps = new() { BaudRate = 5 },
            Gpio = new() { Pin = 2000, BuzzerDutyCycle = 2 },
        };

        var errors = settings.Validate();

        Assert.Single(errors, e => e.StartsWith("mqtt.port: expected 1..65535, got 0", StringComparison.Ordinal));
        Assert.Single(errors, e => e.StartsWith("mqtt.reconnect_max_delay_seconds: expected >= reconnect_min_delay_seconds (2), got 1", StringComparison.Ordinal));
        Assert.Single(errors, e => e == "queue.max_bytes: expected >= 4096, got 10");
        Assert.Single(errors, e => e == "gps.baud_rate: expected 300..4000000, got 5");
        Assert.Single(errors, e => e == "gpio.pin: expected 0..1023, got 2000");
        Assert.Single(errors, e => e == "gpio.buzzer_duty_cycle: expected 0..1, got 2");
        Assert.Equal(errors.Count, errors.Distinct().Count());

        // The component rejects the same record with the same words.
        var direct = Assert.Throws<ArgumentException>(() => settings.Queue.Validate());
        Assert.Contains("queue.max_bytes: expected >= 4096, got 10", direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_section_is_the_frame_source_options_record_set_from_the_file_with_its_units()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, """
            { "source": { "uri": "clips/road.mp4", "loop": true, "fps": 12.5, "realtime": true, "preload": true, "preload_max_mb": 0.5,
                          "width": 640, "height": 360, "reconnect_initial_seconds": 0.25, "reconnect_max_seconds": 4,
                          "max_reconnect_attempts": 6, "max_pixels": 1000000, "read_failures_before_reconnect": 2 } }
            """);

        var settings = RuntimeSettings.Load(path, NoEnvironment);

        Assert.Empty(settings.Validate());
        Edge.Camera.FrameSourceOptions options = settings.Source;
        Assert.Equal(("clips/road.mp4", true, (double?)12.5, true, true), (options.Uri, options.Loop, options.Fps, options.Realtime, options.Preload));
        Assert.Equal(512L * 1024, options.PreloadMaxBytes);
        Assert.Equal(((int?)640, (int?)360, 6, 1_000_000L, 2), (options.Width, options.Height, options.MaxReconnectAttempts, options.MaxPixels, options.ReadFailuresBeforeReconnect));
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReconnectInitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ReconnectMaxDelay);
    }

    [Fact]
    public void Source_and_model_fields_are_set_from_environment_variables_over_the_file()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, """{ "source": { "uri": "clips/road.mp4", "reconnect_initial_seconds": 2, "preload_max_mb": 64 }, "model": { "threads": 4 } }""");
        var env = new Dictionary<string, string?>
        {
            ["EDGESEG__SOURCE__RECONNECT_INITIAL_SECONDS"] = "0.125",
            ["EDGESEG__SOURCE__RECONNECT_MAX_SECONDS"] = "1.5",
            ["EDGESEG__SOURCE__PRELOAD_MAX_MB"] = "3",
            ["EDGESEG__MODEL__THREADS"] = "2",
        };

        var settings = RuntimeSettings.Load(path, env);

        Assert.Empty(settings.Validate());
        Assert.Equal("clips/road.mp4", settings.Source.Uri);
        Assert.Equal((0.125, 1.5), (settings.Source.ReconnectInitialDelay.TotalSeconds, settings.Source.ReconnectMaxDelay.TotalSeconds));
        Assert.Equal(3L * 1024 * 1024, settings.Source.PreloadMaxBytes);
        Assert.Equal(2, settings.Model.IntraOpThreads);
    }

    [Fact]
    public async Task The_frame_source_receives_the_source_section_as_the_environment_set_it()
    {
        var dir = TestPaths.NewTempDirectory();
        var images = Directory.CreateDirectory(Path.Combine(dir, "frames")).FullName;
        using (var mat = new OpenCvSharp.Mat(4, 6, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(90)))
        {
            for (var i = 0; i < 5; i++)
            {
                OpenCvSharp.Cv2.ImWrite(Path.Combine(images, $"{i:D3}.png"), mat);
            }
        }

        // 4x6 BGR = 72 bytes a frame; 150 bytes hold 2 of the 5 frames, so the preload must fail naming the setting.
        var env = new Dictionary<string, string?>
        {
            ["EDGESEG__SOURCE__URI"] = images,
            ["EDGESEG__SOURCE__PRELOAD"] = "true",
            ["EDGESEG__SOURCE__PRELOAD_MAX_MB"] = (150 / (1024.0 * 1024.0)).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        var settings = RuntimeSettings.Load(null, env);
        Assert.Empty(settings.Validate());

        using var source = new Edge.Camera.FrameSourceFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).Create(settings.Source);
        var ex = await Assert.ThrowsAsync<Edge.Camera.FrameSourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());
        Assert.Contains("source.preload_max_mb", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 frame(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_section_is_the_session_settings_record_and_keeps_the_vehicle_defaults_it_does_not_set()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, """{ "model": { "threads": 3, "tensorrt": { "precision": "int8", "engine_cache_dir": "/var/cache/trt", "max_workspace_bytes": 1073741824 } } }""");

        var settings = RuntimeSettings.Load(path, NoEnvironment);

        Assert.Empty(settings.Validate());
        Edge.Runtime.Inference.SegmentationSessionSettings model = settings.Model;
        Assert.Equal((RuntimeSettings.DefaultModelPath, 3, 0, true, false, false), (model.ModelPath, model.IntraOpThreads, model.CudaDeviceId, model.CpuMemoryArena, model.MemoryPattern, model.AllowSpinning));
        Assert.True(new Edge.Runtime.Inference.SegmentationSessionSettings().MemoryPattern); // ONNX Runtime's default, for the host tools
        Assert.Equal(["tensorrt", "cuda", "cpu"], model.Providers);
        Assert.Equal((true, true, "/var/cache/trt", (string?)null, 1073741824L), (model.TensorRt.Fp16, model.TensorRt.Int8, model.TensorRt.EngineCacheDirectory, model.TensorRt.TimingCacheDirectory, model.TensorRt.MaxWorkspaceBytes));
        Assert.Equal(("image", "logits"), (model.InputName, model.OutputName));

        // A committed file that sets only the providers keeps the default path.
        var sample = RuntimeSettings.Load(Path.Combine(RepoRoot, "deploy", "edgeseg.sample-images.json"), NoEnvironment).Model;
        Assert.Equal(RuntimeSettings.DefaultModelPath, sample.ModelPath);
        Assert.Equal(["cpu"], sample.Providers);

        // Each load starts from its own defaults: populating one settings object leaves the next one untouched.
        Assert.Null(RuntimeSettings.Load(null, NoEnvironment).Model.IntraOpThreads);
        Assert.Null(new RuntimeSettings().Model.IntraOpThreads);
    }

    [Fact]
    public void The_session_receives_the_model_section_as_the_file_and_environment_set_it()
    {
        var dir = TestPaths.NewTempDirectory();
        var onnx = new TinyConvModel().WriteTo(dir);
        var path = Path.Combine(dir, "edgeseg.json");
        File.WriteAllText(path, $$"""{ "model": { "path": {{System.Text.Json.JsonSerializer.Serialize(onnx)}}, "providers": ["cpu"], "threads": 2 } }""");

        var settings = RuntimeSettings.Load(path, new Dictionary<string, string?> { ["EDGESEG__MODEL__THREADS"] = "1" });
        Assert.Empty(settings.Validate());
        Assert.False(settings.Model.AllowSpinning); // the runtime's default
        Assert.True(RuntimeSettings.Load(path, new Dictionary<string, string?> { ["EDGESEG__MODEL__ALLOW_SPINNING"] = "true" }).Model.AllowSpinning);
        Assert.True(new Edge.Runtime.Inference.SegmentationSessionSettings().AllowSpinning); // ONNX Runtime's default, for the host tools

        using var session = Edge.Runtime.Inference.SegmentationSession.Create(settings.Model, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal((Path.GetFullPath(onnx), "cpu", 1), (session.ModelPath, session.Provider, session.IntraOpThreads));

        // Spinning off changes how ONNX Runtime's threads wait, not what the network computes.
        using var spinning = Edge.Runtime.Inference.SegmentationSession.Create(settings.Model with { AllowSpinning = true, IntraOpThreads = 2 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var parked = Edge.Runtime.Inference.SegmentationSession.Create(settings.Model with { IntraOpThreads = 2 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var random = new Random(3);
        for (var i = 0; i < spinning.InputBuffer.Length; i++)
        {
            spinning.InputBuffer[i] = parked.InputBuffer[i] = random.NextSingle();
        }

        spinning.Run();
        parked.Run();
        Assert.Equal(spinning.Logits.ToArray(), parked.Logits.ToArray());

        // The warm-up run (before the first frame) runs the network on zeros.
        Assert.True(parked.WarmUp() > 0);
        Assert.All(parked.InputBuffer.ToArray(), v => Assert.Equal(0f, v));
        var warm = parked.Logits.ToArray();
        parked.Run();
        Assert.Equal(warm, parked.Logits.ToArray());
        Assert.NotEqual(spinning.Logits.ToArray(), warm);

        // The session refuses what the file would have been refused for, in the same words.
        var ex = Assert.Throws<ArgumentException>(() => Edge.Runtime.Inference.SegmentationSession.Create(settings.Model with { IntraOpThreads = 0 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Equal("model.threads: expected >= 1 or null (all cores), got 0.", ex.Message);
    }

    [Theory]
    [InlineData("""{ "source": { "reconnect_initial_seconds": 0 } }""", "source.reconnect_initial_seconds: expected > 0, got 0")]
    [InlineData("""{ "source": { "reconnect_initial_seconds": 5, "reconnect_max_seconds": 2 } }""", "source.reconnect_max_seconds: expected >= reconnect_initial_seconds (5), got 2")]
    [InlineData("""{ "source": { "preload_max_mb": -1 } }""", "source.preload_max_mb: expected > 0, got -1 MB")]
    [InlineData("""{ "source": { "uri": " " } }""", "source.uri: expected a camera, stream, file or folder, got ' '")]
    [InlineData("""{ "source": { "read_failures_before_reconnect": 0 } }""", "source.read_failures_before_reconnect: expected >= 1, got 0")]
    [InlineData("""{ "model": { "threads": 0 } }""", "model.threads: expected >= 1 or null (all cores), got 0")]
    [InlineData("""{ "model": { "path": "net.pt" } }""", "model.path: expected a .onnx file, got 'net.pt'")]
    [InlineData("""{ "model": { "providers": ["cpu", "npu"] } }""", "model.providers: expected names from tensorrt, cuda, cpu, got [cpu, npu]")]
    [InlineData("""{ "model": { "tensorrt": { "max_workspace_bytes": 0 } } }""", "model.tensorrt.max_workspace_bytes: expected >= 1 or null (TensorRT default), got 0")]
    public void A_bad_source_or_model_value_is_reported_once_naming_the_field(string json, string expected)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, json);

        var errors = RuntimeSettings.Load(path, NoEnvironment).Validate();

        Assert.Equal(new[] { expected }, errors);
    }

    [Fact]
    public void A_source_delay_that_is_not_a_number_of_seconds_fails_loading_naming_the_field()
    {
        var ex = Assert.Throws<InvalidDataException>(() => RuntimeSettings.Load(null, new Dictionary<string, string?> { ["EDGESEG__SOURCE__RECONNECT_MAX_SECONDS"] = "soon" }));
        Assert.Contains("source.reconnect_max_seconds", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected a number of seconds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_of_another_section_or_a_runtime_fact_is_not_accepted_in_the_mqtt_section()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "edgeseg.json");
        File.WriteAllText(path, """{ "mqtt": { "device_id": "x" } }""");
        var ex = Assert.Throws<InvalidDataException>(() => RuntimeSettings.Load(path, NoEnvironment));
        Assert.Contains("device_id", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy/edgeseg.example.json")]
    [InlineData("deploy/edgeseg.sample-images.json")]
    [InlineData("deploy/jetson/config/edgeseg.csi-tensorrt-fp16.json")]
    [InlineData("deploy/jetson/config/edgeseg.csi-tensorrt-int8.json")]
    public void Committed_settings_files_load_unchanged_and_are_valid(string relative)
    {
        var settings = RuntimeSettings.Load(Path.Combine(RepoRoot, relative), NoEnvironment);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void Runtime_md_lists_every_settable_option_and_nothing_else()
    {
        var reflected = new SortedSet<string>(StringComparer.Ordinal);
        Walk(typeof(RuntimeSettings), string.Empty);
        var documented = DocumentedOptions();

        Assert.True(reflected.Count > 60, $"only {reflected.Count} options found by reflection");
        var undocumented = reflected.Except(documented).ToList();
        var unknown = documented.Except(reflected).ToList();
        Assert.True(undocumented.Count == 0, $"settable but not in docs/runtime.md: {string.Join(", ", undocumented)}");
        Assert.True(unknown.Count == 0, $"in docs/runtime.md but not settable: {string.Join(", ", unknown)}");

        void Walk(Type type, string prefix)
        {
            foreach (var property in RuntimeSettings.JsonOptions.GetTypeInfo(type).Properties.Where(p => p.Set is not null))
            {
                var path = prefix + property.Name;
                if (IsSection(property.PropertyType))
                {
                    Walk(property.PropertyType, path + ".");
                }
                else
                {
                    reflected.Add(path);
                }
            }
        }
    }

    /// <summary>A nested options record of the runtime or the camera library (walked), as opposed to a value, list or enum (a leaf).</summary>
    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string)
        && (type.Namespace?.StartsWith("Edge.Runtime", StringComparison.Ordinal) == true || type.Namespace?.StartsWith("Edge.Camera", StringComparison.Ordinal) == true)
        && RuntimeSettings.JsonOptions.GetTypeInfo(type).Kind == JsonTypeInfoKind.Object;

    /// <summary>Every <c>`a.b`</c> in the first column of the settings table of docs/runtime.md.</summary>
    private static SortedSet<string> DocumentedOptions()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot, "docs", "runtime.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("## Settings", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/runtime.md has no '## Settings' section");
        var options = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var firstCell = line.Split('|', StringSplitOptions.None)[1];
            foreach (Match m in Field().Matches(firstCell))
            {
                options.Add(m.Groups[1].Value);
            }
        }

        return options;
    }

    [GeneratedRegex("`([a-z0-9_]+(?:\\.[a-z0-9_]+)*)`")]
    private static partial Regex Field();
}
