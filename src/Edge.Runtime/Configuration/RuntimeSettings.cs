using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using Edge.Runtime.Inference;
using Edge.Runtime.Mqtt;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Tracking;
using Edge.Runtime.Vehicle;

namespace Edge.Runtime.Configuration;

/// <summary>
/// Everything <c>edgeseg run</c> needs (<c>edgeseg.json</c>, snake_case; see docs/runtime.md). Loaded by
/// <see cref="Load"/>: file → environment overrides <c>EDGESEG__SECTION__KEY</c> → command-line options, then
/// validated once by <see cref="Validate"/>. The component sections (<c>source</c>, <c>model</c>, <c>mqtt</c>, <c>queue</c>, <c>gps</c>,
/// <c>gpio</c>, <c>hazards</c>, <c>tracking</c>, <c>pipeline</c>) are the options records their components take, and
/// each record states its own rules; this record adds the top-level fields and collects the errors.
/// </summary>
public sealed record RuntimeSettings
{
    public const string EnvironmentPrefix = "EDGESEG__";

    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>Device id used in MQTT topics and hazard ids.</summary>
    public string DeviceId { get; init; } = "edge-01";

    /// <summary>What to read frames from (<see cref="FrameSourceFactory"/>); the section is the options record the sources take.</summary>
    public FrameSourceOptions Source { get; init; } = new();

    /// <summary>Default <c>model.path</c>: the paper's ENet (void class 19).</summary>
    public const string DefaultModelPath = "models/enet-seed-560-void.onnx";

    /// <summary>
    /// The network and how ONNX Runtime runs it: the section is the <see cref="SegmentationSession"/>'s settings record.
    /// The vehicle's defaults (<see cref="DefaultModelPath"/>, providers TensorRT → CUDA → CPU, ONNX Runtime's threads
    /// not spinning: the runtime's other stages need those cores; no memory-pattern plan: the arena alone peaks ~100 MB
    /// lower with ENet at the same speed) start each record and the file sets its fields over them (populated, not replaced).
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public SegmentationSessionSettings Model { get; init; } = new()
    {
        ModelPath = DefaultModelPath,
        Providers = [TensorRtExecutionProvider.ProviderName, CudaExecutionProvider.ProviderName, CpuExecutionProvider.ProviderName],
        AllowSpinning = false,
        MemoryPattern = false,
    };

    public ScoringSettings Scoring { get; init; } = new();

    public HazardSettings Hazards { get; init; } = new();

    public TrackingSettings Tracking { get; init; } = new();

    public PipelineSettings Pipeline { get; init; } = new();

    /// <summary>The broker, TLS, topics and timeouts of <see cref="MqttAlertService"/> (device id and stats interval: see <see cref="MqttService"/>).</summary>
    public MqttSettings Mqtt { get; init; } = new();

    /// <summary>The GPIO hazard lamp / buzzer (<see cref="HazardIndicator"/>); used when <c>gpio.enabled</c>.</summary>
    public HazardIndicatorSettings Gpio { get; init; } = new();

    /// <summary>The NMEA receiver (<see cref="NmeaGpsReader"/>); used when <c>gps.enabled</c>.</summary>
    public GpsSettings Gps { get; init; } = new();

    /// <summary>The durable alert queue (directory, size bound); see docs/mqtt.md.</summary>
    public AlertQueueSettings Queue { get; init; } = new();

    /// <summary>The Prometheus endpoint (off unless <c>metrics.port</c> is set); see docs/runtime.md.</summary>
    public Observability.MetricsSettings Metrics { get; init; } = new();

    /// <summary>
    /// Keys of the <c>hazards</c> section the file or the environment set (dotted, snake_case, e.g.
    /// <c>road_area.dilate_px</c>): these win over the model card's operating point.
    /// </summary>
    [JsonIgnore]
    public IReadOnlySet<string> ExplicitHazardKeys { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Seconds between stats log lines / MQTT stats messages; 0 = off.</summary>
    public double StatsIntervalSeconds { get; init; } = 10;

    /// <summary>Default <see cref="ShutdownTimeoutSeconds"/>: below the unit's <c>TimeoutStopSec=30</c> (deploy/jetson/edgeseg.service).</summary>
    public const double DefaultShutdownTimeoutSeconds = 25;

    /// <summary>
    /// <c>shutdown_timeout_s</c>: how long SIGTERM/SIGINT may take, from the signal to the exit (pipeline drain, <c>end</c>
    /// events, MQTT drain, <c>offline</c>); what is not sent by then stays queued on disk. Keep it below systemd's
    /// <c>TimeoutStopSec</c>.
    /// </summary>
    [JsonPropertyName("shutdown_timeout_s")]
    public double ShutdownTimeoutSeconds { get; init; } = DefaultShutdownTimeoutSeconds;

    /// <summary>Reads <paramref name="path"/> (or the defaults when null), applies environment overrides.</summary>
    /// <exception cref="FileNotFoundException">The settings file does not exist.</exception>
    /// <exception cref="InvalidDataException">Malformed JSON, unknown field or wrong type (message names the field).</exception>
    public static RuntimeSettings Load(string? path, IReadOnlyDictionary<string, string?>? environment = null)
    {
        JsonObject root;
        if (path is null)
        {
            root = [];
        }
        else
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Settings file not found: '{path}'.", path);
            }

            try
            {
                root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                    ?? throw new InvalidDataException($"Settings '{path}': expected a JSON object at the top level.");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"Settings '{path}': invalid JSON: {ex.Message}", ex);
            }
        }

        ApplyEnvironment(root, environment ?? ReadEnvironment());
        if (FirstUnknownField(root, JsonOptions.GetTypeInfo(typeof(RuntimeSettings)), "$") is { } unknown)
        {
            throw new InvalidDataException($"Settings{(path is null ? string.Empty : $" '{path}'")}: field {unknown}: unknown field (not an option of this section; see docs/runtime.md).");
        }

        try
        {
            var settings = root.Deserialize<RuntimeSettings>(JsonOptions) ?? new RuntimeSettings();
            return settings with { ExplicitHazardKeys = ExplicitKeys(root["hazards"] as JsonObject) };
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Settings{(path is null ? string.Empty : $" '{path}'")}: field {ex.Path ?? "$"}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// <c>EDGESEG__SOURCE__URI=rtsp://...</c> sets <c>source.uri</c>; sections and keys are matched case-insensitively
    /// (<c>EDGESEG__MQTT__HOST</c>, <c>EDGESEG__HAZARDS__ROAD_AREA__MODE</c>); values that parse as JSON (numbers, true,
    /// arrays) are taken as such, anything else as a string.
    /// </summary>
    public static void ApplyEnvironment(JsonObject root, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (key, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) || value is null)
            {
                continue;
            }

            var parts = key[EnvironmentPrefix.Length..].Split("__", StringSplitOptions.RemoveEmptyEntries).Select(p => p.ToLowerInvariant()).ToArray();
            if (parts.Length == 0)
            {
                continue;
            }

            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = [];
                    node[part] = child;
                }

                node = child;
            }

            node[parts[^1]] = ParseValue(value);
        }
    }

    /// <summary>
    /// The JSON path of the first key that is no settable option of its section (also the runtime facts the records
    /// carry but the file does not set, such as <c>mqtt.device_id</c>), or null.
    /// </summary>
    private static string? FirstUnknownField(JsonObject node, JsonTypeInfo type, string path)
    {
        foreach (var (key, value) in node)
        {
            var property = type.Properties.FirstOrDefault(p => p.Set is not null && string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                return $"{path}.{key}";
            }

            if (value is JsonObject child && JsonOptions.GetTypeInfo(property.PropertyType) is { Kind: JsonTypeInfoKind.Object } childType
                && FirstUnknownField(child, childType, $"{path}.{key}") is { } unknown)
            {
                return unknown;
            }
        }

        return null;
    }

    /// <summary>Dotted paths of the leaves of <paramref name="section"/> (objects are walked, arrays are leaves).</summary>
    public static IReadOnlySet<string> ExplicitKeys(JsonObject? section)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Walk(section, string.Empty);
        return keys;

        void Walk(JsonObject? node, string prefix)
        {
            if (node is null)
            {
                return;
            }

            foreach (var (key, value) in node)
            {
                var path = prefix + key;
                if (value is JsonObject child)
                {
                    Walk(child, path + ".");
                }
                else
                {
                    keys.Add(path);
                }
            }
        }
    }

    /// <summary>All rule violations (field, expected, actual); empty when valid. Model-dependent checks use <paramref name="classCount"/>.</summary>
    public IReadOnlyList<string> Validate(int classCount = int.MaxValue)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DeviceId) || DeviceId.Any(c => c is '/' or '+' or '#' || char.IsWhiteSpace(c)))
        {
            errors.Add($"device_id: expected a non-empty id without '/', '+', '#' or spaces, got '{DeviceId}'");
        }

        errors.AddRange(Source?.Validate("source") ?? ["source: expected an object, got null"]);

        errors.AddRange(Model?.Validate("model") ?? ["model: expected an object, got null"]);

        if (Scoring?.Temperature is { } t && !(t > 0 && double.IsFinite(t)))
        {
            errors.Add($"scoring.temperature: expected a finite value > 0 or null, got {t}");
        }

        if (Scoring?.Threshold is { } th && !double.IsFinite(th))
        {
            errors.Add($"scoring.threshold: expected a finite number or null, got {th}");
        }

        errors.AddRange(Hazards?.Validate("hazards", classCount) ?? ["hazards: expected an object, got null"]);
        errors.AddRange(Tracking?.Validate("tracking") ?? ["tracking: expected an object, got null"]);
        errors.AddRange(Pipeline?.Validate("pipeline") ?? ["pipeline: expected an object, got null"]);
        errors.AddRange(Mqtt is null ? ["mqtt: expected an object, got null"] : MqttService().Validate("mqtt"));
        errors.AddRange(Gpio?.Validate("gpio") ?? ["gpio: expected an object, got null"]);
        errors.AddRange(Gps?.Validate("gps") ?? ["gps: expected an object, got null"]);
        errors.AddRange(Queue?.Validate("queue") ?? ["queue: expected an object, got null"]);

        errors.AddRange(Metrics?.Validate("metrics") ?? ["metrics: expected an object, got null"]);

        if (!(StatsIntervalSeconds >= 0 && double.IsFinite(StatsIntervalSeconds)))
        {
            errors.Add($"stats_interval_seconds: expected a finite value >= 0 (0 = off), got {StatsIntervalSeconds}");
        }

        if (!(ShutdownTimeoutSeconds is >= 1 and <= 3600))
        {
            errors.Add($"shutdown_timeout_s: expected 1..3600 seconds (below systemd's TimeoutStopSec, 30 s in edgeseg.service), got {ShutdownTimeoutSeconds}");
        }

        return errors;
    }

    /// <summary>
    /// The <c>mqtt</c> section as <see cref="MqttAlertService"/> takes it, with what the top level decides: the device id
    /// (sanitized for topics), the <c>stats</c> period (<c>stats_interval_seconds</c>; 0 = no stats messages, the
    /// service then gets no stats source) and the model name of the Home Assistant device block.
    /// </summary>
    public MqttSettings MqttService(string model = "edgeseg") => Mqtt with
    {
        DeviceId = MqttSettings.SanitizeDeviceId(DeviceId ?? string.Empty),
        StatsInterval = TimeSpan.FromSeconds(StatsIntervalSeconds > 0 && double.IsFinite(StatsIntervalSeconds) ? StatsIntervalSeconds : 15),
        HomeAssistant = (Mqtt.HomeAssistant ?? new()) with { Model = model, Gps = Gps is { Enabled: true } },
    };

    /// <summary>Throws <see cref="ArgumentException"/> listing every violation.</summary>
    public void ThrowIfInvalid(int classCount = int.MaxValue)
    {
        var errors = Validate(classCount);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid settings:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }
    }

    private static JsonNode? ParseValue(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }

    private static Dictionary<string, string?> ReadEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            PropertyNameCaseInsensitive = true,
            WriteIndented = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
