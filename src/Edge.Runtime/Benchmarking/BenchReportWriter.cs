using System.Globalization;
using System.Text.Json;
using Edge.Runtime.Commands;
using Edge.Runtime.IO;
using Spectre.Console;

namespace Edge.Runtime.Benchmarking;

/// <summary>The rendering half of <c>edgeseg bench</c>: console output of a bare or pipeline bench and the report files.</summary>
public sealed class BenchReportWriter
{
    private static readonly string[] StageColumns = ["p50 ms", "p95 ms", "p99 ms", "mean ms"];

    private readonly TextWriter _output;
    private readonly bool _richOutput;

    /// <param name="output">Where results go.</param>
    /// <param name="richOutput">True to print Spectre tables (interactive terminal), false for plain lines.</param>
    public BenchReportWriter(TextWriter output, bool richOutput)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _richOutput = richOutput;
    }

    /// <summary>The whole-runtime bench: one plain line per fact and per stage (<c>pipeline name: value</c>).</summary>
    public void PrintPipeline(PipelineBenchReport whole)
    {
        ArgumentNullException.ThrowIfNull(whole);
        foreach (var (name, value) in PipelineBenchMarkdown.Facts(whole))
        {
            _output.WriteLine($"pipeline {name}: {value}");
        }

        foreach (var (name, stats) in PipelineBenchMarkdown.Stages(whole))
        {
            _output.WriteLine($"pipeline {name}: {string.Join(" | ", StageValues(stats))}");
        }
    }

    /// <summary>The bare bench: a Spectre table on a terminal, plain <c>name: value</c> lines otherwise.</summary>
    public void Print(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var facts = BenchMarkdown.Facts(report);
        var stages = BenchMarkdown.Stages(report.Breakdown);
        if (_richOutput)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_output) });
            var factTable = new Table().AddColumn("run").AddColumn("value");
            foreach (var (name, value) in facts)
            {
                factTable.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            var stageTable = new Table().AddColumn("stage");
            foreach (var column in StageColumns)
            {
                stageTable.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (var (name, stats) in stages)
            {
                stageTable.AddRow([name, .. StageValues(stats)]);
            }

            console.Write(factTable);
            console.Write(stageTable);
            return;
        }

        foreach (var (name, value) in facts)
        {
            _output.WriteLine($"{name}: {value}");
        }

        // Inference percentiles keep their historical plain-text lines ("p50 ms: ...").
        _output.WriteLine($"p50 ms: {Ms(report.P50Ms)}");
        _output.WriteLine($"p95 ms: {Ms(report.P95Ms)}");
        _output.WriteLine($"p99 ms: {Ms(report.P99Ms)}");
        _output.WriteLine($"stage: {string.Join(" | ", StageColumns)}");
        foreach (var (name, stats) in stages)
        {
            _output.WriteLine($"{name}: {string.Join(" | ", StageValues(stats))}");
        }
    }

    /// <summary>Writes <c>--json</c> and <c>--markdown</c> when given, each atomically (temp file + rename).</summary>
    public static async Task WriteFilesAsync<T>(BenchSettings settings, T report, string markdown, CancellationToken cancellationToken)
    {
        if (settings.JsonPath is { } jsonPath)
        {
            await AtomicFile.WriteAsync(
                jsonPath,
                (stream, ct) => JsonSerializer.SerializeAsync(stream, report, BenchReport.JsonOptions, ct),
                cancellationToken).ConfigureAwait(false);
        }

        if (settings.MarkdownPath is { } markdownPath)
        {
            var text = System.Text.Encoding.UTF8.GetBytes(markdown);
            await AtomicFile.WriteAsync(
                markdownPath,
                (stream, ct) => stream.WriteAsync(text, ct).AsTask(),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static string[] StageValues(LatencyStatistics stats) => [Ms(stats.P50Ms), Ms(stats.P95Ms), Ms(stats.P99Ms), Ms(stats.MeanMs)];

    private static string Ms(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
