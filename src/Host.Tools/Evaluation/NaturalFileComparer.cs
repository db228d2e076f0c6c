namespace Host.Tools.Evaluation;

/// <summary>Orders file names with numeric stems numerically (2.png before 10.png), others ordinally.</summary>
internal sealed class NaturalFileComparer : IComparer<string>
{
    public static readonly NaturalFileComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = Path.GetFileNameWithoutExtension(x) ?? string.Empty;
        var b = Path.GetFileNameWithoutExtension(y) ?? string.Empty;
        if (long.TryParse(a, out var na) && long.TryParse(b, out var nb) && na != nb)
        {
            return na.CompareTo(nb);
        }

        return string.CompareOrdinal(x, y);
    }
}
