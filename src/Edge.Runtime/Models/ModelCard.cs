using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Runtime.IO;

namespace Edge.Runtime.Models;

/// <summary>
/// The JSON card beside every exported <c>.onnx</c> (same stem, <c>.json</c>): what the network is, its classes, input,
/// preprocessing, default anomaly score and provenance. snake_case property names, schema version 1.
/// </summary>
public sealed record ModelCard
{
    public const int CurrentSchemaVersion = 1;

    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public required string Name { get; init; }

    public required string Architecture { get; init; }

    public required IReadOnlyList<string> Classes { get; init; }

    public int? VoidIndex { get; init; }

    public required ModelInputSpec Input { get; init; }

    public PreprocessingSpec Preprocessing { get; init; } = new();

    public ScoreKind DefaultScore { get; init; } = ScoreKind.MaxLogit;

    public double? Temperature { get; init; }

    /// <summary>Calibrated threshold data; free-form until the calibration tool defines it.</summary>
    public JsonElement? Threshold { get; init; }

    /// <summary>The operating point chosen from measurement (scorer, threshold, post-processing); null = none.</summary>
    public OperatingPoint? OperatingPoint { get; init; }

    public required ModelSource Source { get; init; }

    /// <summary>Scorer and road mask appended to the graph (outputs <c>score</c>, <c>road</c>); null for a plain model (<c>logits</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelHeads? Heads { get; init; }

    public required long Parameters { get; init; }

    public long? Flops { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>Standardized Max Logit statistics (<c>edgeseg-tools calibrate-sml</c>); null until calibrated.</summary>
    public SmlStatistics? Sml { get; init; }

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The card path for a model: same folder and stem, extension <c>.json</c>.</summary>
    public static string PathFor(string onnxPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        return Path.ChangeExtension(onnxPath, ".json");
    }

    /// <summary>Reads and validates a card. Errors name the file and the field, with expected vs actual.</summary>
    public static ModelCard Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model card not found: '{path}'.", path);
        }

        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model card '{path}': invalid JSON at {ex.Path ?? "$"}: {ex.Message}", ex);
        }

        if (card is null)
        {
            throw new InvalidDataException($"Model card '{path}': expected a JSON object, got null.");
        }

        var errors = card.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"Model card '{path}' is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }

        return card;
    }

    /// <summary>Validates, then writes the card atomically (temp file + rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Refusing to save invalid model card to '{path}':{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(bytes);
            stream.WriteByte((byte)'\n');
        });
    }

    /// <summary>All rule violations, each naming the field with expected vs actual; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SchemaVersion != CurrentSchemaVersion)
        {
            errors.Add($"schema_version: expected {CurrentSchemaVersion}, got {SchemaVersion}");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add($"name: expected a non-empty string, got '{Name}'");
        }

        if (string.IsNullOrWhiteSpace(Architecture))
        {
            errors.Add($"architecture: expected a non-empty string, got '{Architecture}'");
        }

        if (Classes is null || Classes.Count == 0 || Classes.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"classes: expected a non-empty list of non-empty names, got {(Classes is null ? "null" : $"{Classes.Count} entries")}");
        }
        else if (VoidIndex is { } v && (v < 0 || v >= Classes.Count))
        {
            errors.Add($"void_index: expected 0..{Classes.Count - 1} (an index into classes) or null, got {v}");
        }

        if (Input is null)
        {
            errors.Add("input: expected {height, width, channels}, got null");
        }
        else
        {
            if (Input.Height < 1 || Input.Width < 1)
            {
                errors.Add($"input: expected height >= 1 and width >= 1, got {Input.Height}x{Input.Width}");
            }

            if (Input.Channels != 3)
            {
                errors.Add($"input.channels: expected 3, got {Input.Channels}");
            }
        }

        ValidatePreprocessing(errors);

        if (DefaultScore == ScoreKind.VoidClass && VoidIndex is null)
        {
            errors.Add("default_score: VoidClass needs void_index, got void_index null");
        }

        if (Temperature is { } t && !(t > 0 && double.IsFinite(t)))
        {
            errors.Add($"temperature: expected a finite value > 0 or null, got {t}");
        }

        if (OperatingPoint is { } operatingPoint)
        {
            errors.AddRange(operatingPoint.Validate("operating_point", Classes?.Count ?? 0, VoidIndex));
        }

        if (Source is null)
        {
            errors.Add("source: expected {checkpoint, sha256}, got null");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Source.Checkpoint))
            {
                errors.Add($"source.checkpoint: expected a non-empty path, got '{Source.Checkpoint}'");
            }

            if (Source.Sha256 is null || Source.Sha256.Length != 64 || !Source.Sha256.All(char.IsAsciiHexDigitLower))
            {
                errors.Add($"source.sha256: expected 64 lowercase hex digits, got '{Source.Sha256}'");
            }
        }

        if (Heads is not null && Classes is { Count: > 0 })
        {
            errors.AddRange(Heads.Validate(Classes.Count, VoidIndex));
            if (Heads.Scorer == ScoreKind.Sml && Sml is null)
            {
                errors.Add("heads.scorer: SML needs the card's sml statistics, got sml null");
            }
        }

        if (Parameters < 1)
        {
            errors.Add($"parameters: expected >= 1, got {Parameters}");
        }

        if (Flops is { } f && f < 1)
        {
            errors.Add($"flops: expected >= 1 or null, got {f}");
        }

        if (Sml is not null && Classes is not null)
        {
            errors.AddRange(Sml.Validate("sml", Classes.Count));
        }

        if (Created.Offset != TimeSpan.Zero)
        {
            errors.Add($"created: expected an ISO-8601 UTC timestamp (offset +00:00 / Z), got offset {Created.Offset}");
        }

        return errors;
    }

    private void ValidatePreprocessing(List<string> errors)
    {
        if (Preprocessing is null)
        {
            errors.Add("preprocessing: expected an object, got null");
            return;
        }

        if (Preprocessing.Color != "RGB")
        {
            errors.Add($"preprocessing.color: expected 'RGB', got '{Preprocessing.Color}'");
        }

        if (Preprocessing.Resize != PreprocessingSpec.PillowBilinear)
        {
            errors.Add($"preprocessing.resize: expected '{PreprocessingSpec.PillowBilinear}', got '{Preprocessing.Resize}'");
        }

        if (!(Preprocessing.Scale > 0 && double.IsFinite(Preprocessing.Scale)))
        {
            errors.Add($"preprocessing.scale: expected a finite value > 0, got {Preprocessing.Scale}");
        }

        if (Preprocessing.Mean is { Count: not 3 } mean)
        {
            errors.Add($"preprocessing.mean: expected 3 values or null, got {mean.Count}");
        }

        if (Preprocessing.Std is { Count: not 3 } std)
        {
            errors.Add($"preprocessing.std: expected 3 values or null, got {std.Count}");
        }
        else if (Preprocessing.Std is { } s && s.Any(x => !(x > 0)))
        {
            errors.Add($"preprocessing.std: expected values > 0, got [{string.Join(", ", s)}]");
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
