namespace Host.Tools.Import;

/// <summary>A state-dict key present in both module and checkpoint with different shapes.</summary>
public sealed record StateDictShapeMismatch(string Key, long[] ExpectedShape, long[] ActualShape)
{
    public override string ToString() =>
        $"{Key}: module expects [{string.Join(", ", ExpectedShape)}], checkpoint has [{string.Join(", ", ActualShape)}]";
}
