using System.Text.Json;
using Host.Tools.Reliability;

namespace Host.Tools.Tests.Reliability;

public sealed class ChaosReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("chaos-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ChaosResult Row(string fault, bool pass, long? lost = 0) => new()
    {
        Fault = fault,
        Enqueued = 12,
        Delivered = 12 - (lost ?? 0),
        Duplicates = 1,
        Lost = lost,
        SeqReused = 0,
        MaxSeq = 12,
        Reconnects = 2,
        ConnectAttempts = 5,
        ExitCode = "0",
        Seconds = 41.6,
        Pass = pass,
        Notes = "a|b",
    };

    [Fact]
    public void Table_has_one_row_per_fault_with_its_numbers_and_escaped_cells()
    {
        var md = ChaosReport.Markdown([Row("broker stalled 20 s", true), Row("wrong password", false, lost: null) with { Reconnects = null }], "load 3.1");
        var lines = md.Split('\n');
        Assert.Equal(ChaosReport.BeginMarker, lines[0]);
        Assert.Equal(ChaosReport.EndMarker, lines[^1]);
        var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| fault", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        var cells = rows[0].Trim('|', ' ').Split(" | ");
        Assert.Equal(["broker stalled 20 s", "12", "—", "12", "1", "0", "0", "12", "2 (5)", "0", "42", "PASS", "a\\|b"], cells);
        var second = rows[1].Trim('|', ' ').Split(" | ");
        Assert.Equal("—", second[5]); // lost unknown
        Assert.Equal("—", second[8]); // no reconnect count
        Assert.Equal("**FAIL**", second[11]);
        Assert.Contains("**Verdict: FAIL** (1 of 2 faults missed a target)", md, StringComparison.Ordinal);
        Assert.Contains("load 3.1", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Splice_replaces_only_the_generated_section_and_keeps_the_hand_written_text()
    {
        const string head = "# Reliability\n\nhand-written | table\n";
        const string tail = "\n## Not covered here\n- item\n";
        var first = ChaosReport.Splice(head, ChaosReport.Markdown([Row("a", true)], "run 1"));
        Assert.StartsWith(head.TrimEnd('\n') + "\n\n" + ChaosReport.BeginMarker, first, StringComparison.Ordinal);
        var withTail = first + tail;

        var second = ChaosReport.Splice(withTail, ChaosReport.Markdown([Row("b", true)], "run 2"));
        Assert.StartsWith(head, second, StringComparison.Ordinal);
        Assert.EndsWith(tail, second, StringComparison.Ordinal);
        Assert.Contains("run 2", second, StringComparison.Ordinal);
        Assert.DoesNotContain("run 1", second, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(second, ChaosReport.BeginMarker));
        Assert.Equal(1, CountOf(second, ChaosReport.EndMarker));
        Assert.Contains("**Verdict: PASS** (1 of 1 faults met their targets)", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Unbalanced_markers_are_an_error_and_nothing_is_written()
    {
        var doc = Path.Combine(_dir, "reliability.md");
        var original = "# R\n" + ChaosReport.EndMarker + "\nx\n" + ChaosReport.BeginMarker + "\n";
        File.WriteAllText(doc, original);
        var json = Path.Combine(_dir, "reports", "chaos.json");
        Assert.Throws<InvalidDataException>(() => ChaosReport.Write([Row("a", true)], "c", doc, json));
        Assert.Equal(original, File.ReadAllText(doc));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Results_round_trip_from_json_lines_to_the_json_report()
    {
        var lines = Path.Combine(_dir, "results.jsonl");
        File.WriteAllText(lines, """
            {"fault":"broker killed","enqueued":30,"delivered":30,"duplicates":0,"lost":0,"seq_reused":0,"reconnects":1,"connect_attempts":3,"exit_code":"0","pass":true}

            {"fault":"flipped byte in a pending record","enqueued":20,"damaged":1,"delivered":19,"lost":0,"seq_reused":0,"max_seq":20,"exit_code":"0/0","pass":true,"notes":"n"}
            """);
        var rows = ChaosReport.Load(lines);
        Assert.Equal(2, rows.Count);
        Assert.Equal(1, rows[1].Damaged);
        Assert.Null(rows[0].Damaged);
        Assert.Equal("0/0", rows[1].ExitCode);

        var doc = Path.Combine(_dir, "reliability.md");
        var json = Path.Combine(_dir, "reports", "chaos.json");
        ChaosReport.Write(rows, "ctx", doc, json);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.True(report.RootElement.GetProperty("pass").GetBoolean());
        var faults = report.RootElement.GetProperty("faults");
        Assert.Equal(2, faults.GetArrayLength());
        Assert.Equal(19, faults[1].GetProperty("delivered").GetInt64());
        Assert.Equal(3, faults[0].GetProperty("connect_attempts").GetInt64());
        Assert.Contains("| flipped byte in a pending record | 20 | 1 | 19 |", File.ReadAllText(doc), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_results_line_names_the_file_and_line()
    {
        var lines = Path.Combine(_dir, "results.jsonl");
        File.WriteAllText(lines, "{\"fault\":\"a\",\"pass\":true}\nnot json\n");
        var ex = Assert.Throws<InvalidDataException>(() => ChaosReport.Load(lines));
        Assert.Contains("results.jsonl:2", ex.Message, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
