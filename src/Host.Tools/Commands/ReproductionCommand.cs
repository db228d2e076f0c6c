using System.CommandLine;
using System.Text;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.IO;
using Host.Tools.Evaluation;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools reproduction</c>: writes docs/reproduction.md from evaluation reports, the reference and the paper.</summary>
public sealed class ReproductionCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public ReproductionCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var reports = new Option<string>("--reports") { Description = "Folder with <model>/results.json of `evaluate`", Required = true };
        var output = new Option<string>("--out") { Description = "Markdown file to write", Required = true };
        var reference = new Option<string?>("--reference") { Description = "reference-results.json (default: shared reference/)" };
        var tables = new Option<string?>("--paper-tables") { Description = "paper-tables.md (default: shared reference/)" };
        var notes = new Option<string?>("--notes") { Description = "Markdown appended as explanations (e.g. docs/reproduction-notes.md)" };
        var check = new Option<bool>("--check") { Description = "Exit 1 when a reproducible reference row is outside the tolerance" };
        var command = new Command("reproduction", "Compare evaluation reports with the reference results and the paper's tables (docs/reproduction.md)")
        {
            reports, output, reference, tables, notes, check,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "reproduction", logger =>
        {
            var shared = SharedData.Resolve();
            var referencePath = parse.GetValue(reference) ?? Path.Combine(shared, "reference", "reference-results.json");
            var tablesPath = parse.GetValue(tables) ?? Path.Combine(shared, "reference", "paper-tables.md");
            var notesPath = parse.GetValue(notes);
            var (markdown, failures, checkedRows) = ReproductionDocument.Build(
                parse.GetValue(reports)!,
                ReferenceResults.Load(referencePath),
                PaperTables.Load(tablesPath),
                notesPath is not null && File.Exists(notesPath) ? File.ReadAllText(notesPath) : null);
            var outPath = parse.GetValue(output)!;
            AtomicFile.Write(outPath, s => s.Write(Encoding.UTF8.GetBytes(markdown)));
            logger.LogInformation("wrote {Out}: {Ok} of {Checked} reference rows within tolerance", outPath, checkedRows - failures, checkedRows);
            return parse.GetValue(check) && failures > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }));
        return command;
    }
}
