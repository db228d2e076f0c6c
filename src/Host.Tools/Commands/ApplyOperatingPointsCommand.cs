using System.CommandLine;
using System.Text.Json;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
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

            foreach (var file in Directory.GetFiles(from, "*.json").Order(StringComparer.Ordinal))
            {
                var point = Read(file);
                var name = Path.GetFileNameWithoutExtension(file);
                var applied = 0;
                foreach (var cardPath in new[] { "", "-trt", "-heads", "-trt-heads" }.Select(suffix => Path.Combine(cards, name + suffix + ".json")).Where(File.Exists))
                {
                    var card = ModelCard.Load(cardPath);
                    if (card.Heads is { } heads && !string.Equals(heads.Scorer.ToString(), point.Scorer, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new InvalidDataException($"Operating point '{file}' scores {point.Scorer} but the heads model '{cardPath}' computes {heads.Scorer} in its graph: rebuild the heads (edgeseg-tools export --heads) or choose the point with --scorers {heads.Scorer}.");
                    }

                    var updated = card with { OperatingPoint = point };
                    var errors = updated.Validate();
                    if (errors.Count > 0)
                    {
                        throw new InvalidDataException($"Operating point '{file}' does not fit model card '{cardPath}': {string.Join("; ", errors)}.");
                    }

                    updated.Save(cardPath);
                    applied++;
                }

                logger.LogInformation("{File}: {Scorer} >= {Threshold:G6} (chosen on {Sets}) -> {Count} card(s)", file, point.Scorer, point.Threshold, string.Join(", ", point.ChosenOn), applied);
            }

            return ExitCodes.Success;
        }));
        return command;
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
