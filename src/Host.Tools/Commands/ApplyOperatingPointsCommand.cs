using System.CommandLine;
using System.Text.Json;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Edge.Runtime.Scoring;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools apply-operating-points</c>: copies the committed operating points (<c>models/operating-points/NAME.json</c>,
/// one <c>operating_point</c> object each) into the generated model cards <c>NAME.json</c>, <c>NAME-trt.json</c> and their
/// heads variants <c>NAME-heads.json</c>, <c>NAME-trt-heads.json</c> (whose graph must compute the point's scorer);
/// <c>make models</c> runs it so that <c>edgeseg run</c> uses them by default.
/// </summary>
public sealed class ApplyOperatingPointsCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public ApplyOperatingPointsCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var points = new Option<string>("--from") { Description = "Folder of NAME.json operating points", DefaultValueFactory = _ => "models/operating-points" };
        var models = new Option<string>("--models") { Description = "Folder of the generated model cards", DefaultValueFactory = _ => "models" };
        var command = new Command("apply-operating-points", "Write the committed operating points into the generated model cards") { points, models };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "apply-operating-points", logger =>
        {
            var from = parse.GetValue(points)!;
            var cards = parse.GetValue(models)!;
            if (!Directory.Exists(from))
            {
                throw new DirectoryNotFoundException($"--from: folder not found: '{from}'.");
            }

            // Check every card of every point first, then write: a refused point leaves every card as it was.
            var updates = new List<(string File, OperatingPoint Point, string CardPath, ModelCard Card)>();
            foreach (var file in Directory.GetFiles(from, "*.json").Order(StringComparer.Ordinal))
            {
                var point = Read(file);
                var name = Path.GetFileNameWithoutExtension(file);
                foreach (var cardPath in new[] { "", "-trt", "-heads", "-trt-heads" }.Select(suffix => Path.Combine(cards, name + suffix + ".json")).Where(File.Exists))
                {
                    var card = ModelCard.Load(cardPath);
                    if (card.Heads is { } heads && HeadsConflict(point, heads) is { } conflict)
                    {
                        throw new InvalidDataException($"Operating point '{file}' does not fit the heads model '{cardPath}': {conflict}.");
                    }

                    var updated = card with { OperatingPoint = point };
                    var errors = updated.Validate();
                    if (errors.Count > 0)
                    {
                        throw new InvalidDataException($"Operating point '{file}' does not fit model card '{cardPath}': {string.Join("; ", errors)}.");
                    }

                    updates.Add((file, point, cardPath, updated));
                }
            }

            foreach (var (file, point, cardPath, card) in updates)
            {
                card.Save(cardPath);
                logger.LogInformation("{File}: {Scorer} >= {Threshold:G6} (chosen on {Sets}) -> {Card}", file, point.Scorer, point.Threshold, string.Join(", ", point.ChosenOn), cardPath);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Why a heads model cannot run <paramref name="point"/> (<see cref="ModelHeads.Conflict"/>: the rules
    /// <c>edgeseg run</c> applies at start, checked here so that <c>make models</c> fails instead of the vehicle), or null.</summary>
    public static string? HeadsConflict(OperatingPoint point, ModelHeads heads)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(heads);
        var temperature = AnomalyScorerFactory.UsesTemperature(point.Scorer) ? point.Temperature ?? 1.0 : 1.0;
        var knownObjects = point.Hazards?["known_objects"]?["enabled"]?.GetValue<bool>() == true;
        return heads.Conflict(point.Scorer, temperature, knownObjects);
    }

    /// <summary>Reads one operating point file (the <c>operating_point</c> object of a model card).</summary>
    public static OperatingPoint Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<OperatingPoint>(File.ReadAllBytes(file), ModelCard.JsonOptions)
                ?? throw new InvalidDataException($"Operating point '{file}': expected an object, got null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Operating point '{file}': invalid at {ex.Path ?? "$"}: {ex.Message}", ex);
        }
    }
}
