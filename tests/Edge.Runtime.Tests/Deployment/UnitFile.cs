namespace Edge.Runtime.Tests.Deployment;

/// <summary>A minimal systemd unit-file reader: [Section] headers, Key=Value lines, # and ; comments.</summary>
internal sealed class UnitFile
{
    private readonly List<(string Section, string Key, string Value)> _entries = [];

    public static UnitFile Parse(string text)
    {
        var unit = new UnitFile();
        var section = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1];
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Unit line '{line}': expected Key=Value or [Section].");
            }

            unit._entries.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }

        return unit;
    }

    public bool Has(string section, string key) => _entries.Exists(e => e.Section == section && e.Key == key);

    public string Single(string section, string key) => _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).Single();
}
