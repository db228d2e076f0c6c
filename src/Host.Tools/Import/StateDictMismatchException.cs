namespace Host.Tools.Import;

/// <summary>
/// A checkpoint does not fit a module: lists every missing key, every unexpected key, every wrongly shaped key and
/// every module key that two checkpoint keys were mapped onto.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    public StateDictMismatchException(
        string sourcePath,
        IReadOnlyList<string> missingKeys,
        IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<StateDictShapeMismatch> shapeMismatches,
        IReadOnlyList<string> duplicateKeys)
        : base(BuildMessage(sourcePath, missingKeys, unexpectedKeys, shapeMismatches, duplicateKeys))
    {
        SourcePath = sourcePath;
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
        DuplicateKeys = duplicateKeys;
    }

    public string SourcePath { get; }

    /// <summary>Module keys (parameters and buffers) the checkpoint does not provide.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Checkpoint keys (after the key map) the module does not have.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    public IReadOnlyList<StateDictShapeMismatch> ShapeMismatches { get; }

    /// <summary>Module keys that more than one checkpoint key was mapped onto.</summary>
    public IReadOnlyList<string> DuplicateKeys { get; }

    private static string BuildMessage(
        string path,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected,
        IReadOnlyList<StateDictShapeMismatch> shapes,
        IReadOnlyList<string> duplicates)
    {
        var lines = new List<string>
        {
            $"Checkpoint '{path}' does not match the module: {missing.Count} missing, {unexpected.Count} unexpected, "
            + $"{shapes.Count} wrongly shaped, {duplicates.Count} duplicate key(s).",
        };
        if (missing.Count > 0)
        {
            lines.Add("Missing keys (in the module, not in the checkpoint):");
            lines.AddRange(missing.Select(k => "  " + k));
        }

        if (unexpected.Count > 0)
        {
            lines.Add("Unexpected keys (in the checkpoint, not in the module):");
            lines.AddRange(unexpected.Select(k => "  " + k));
        }

        if (shapes.Count > 0)
        {
            lines.Add("Wrong shapes:");
            lines.AddRange(shapes.Select(s => "  " + s));
        }

        if (duplicates.Count > 0)
        {
            lines.Add("Module keys mapped from more than one checkpoint key:");
            lines.AddRange(duplicates.Select(k => "  " + k));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
