using System.CommandLine;
using Edge.Runtime.Commands;
using Host.Tools.Reliability;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools chaos-report</c>: the results of build/chaos.sh -> docs/reliability.md (generated section) + reports/chaos.json.</summary>
public sealed class ChaosReportCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public ChaosReportCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var results = new Option<string>("--results") { Description = "JSON lines written by build/chaos.sh, one fault per line", Required = true };
        var doc = new Option<string>("--doc") { Description = "Markdown file whose generated chaos section is replaced", Required = true };
        var json = new Option<string>("--json") { Description = "JSON report to write", Required = true };
        var context = new Option<string>("--context") { Description = "Line printed above the table (machine, load, versions)", DefaultValueFactory = _ => string.Empty };
        var command = new Command("chaos-report", "Write the `make chaos` table into docs/reliability.md and reports/chaos.json")
        {
            results, doc, json, context,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "chaos-report", logger =>
        {
            var rows = ChaosReport.Load(parse.GetValue(results)!);
            if (rows.Count == 0)
            {
                throw new InvalidDataException($"{parse.GetValue(results)}: no fault results");
            }

            ChaosReport.Write(rows, parse.GetValue(context)!, parse.GetValue(doc)!, parse.GetValue(json)!);
            Console.WriteLine(ChaosReport.Markdown(rows, parse.GetValue(context)!));
            var failed = rows.Count(r => !r.Pass);
            logger.LogInformation("wrote {Doc} and {Json}: {Passed} of {Count} faults met their targets", parse.GetValue(doc), parse.GetValue(json), rows.Count - failed, rows.Count);
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
