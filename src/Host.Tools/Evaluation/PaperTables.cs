using System.Globalization;

namespace Host.Tools.Evaluation;

/// <summary>Reads values out of <c>paper-tables.md</c>: table by "## Table N" heading, row by its first cell, column by header.</summary>
public sealed class PaperTables
{
    private readonly Dictionary<(string Table, string Row, string Column), double> _values = [];

    public PaperTables(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        string? table = null;
        string[]? header = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                var title = line[3..];
                var colon = title.IndexOf(':', StringComparison.Ordinal);
                table = colon > 0 ? title[..colon].Trim() : title.Trim();
                header = null;
                continue;
            }

            if (table is null || !line.StartsWith('|'))
            {
                continue;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (header is null)
            {
                header = cells;
                continue;
            }

            if (cells.All(c => c.StartsWith('-')))
            {
                continue;
            }

            for (var i = 1; i < Math.Min(cells.Length, header.Length); i++)
            {
                if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    _values[(table, cells[0], header[i])] = v;
                }
            }
        }
    }

    public static PaperTables Load(string path) => new(File.ReadAllText(path));

    public double? Get(string table, string row, string column) => _values.TryGetValue((table, row, column), out var v) ? v : null;
}
