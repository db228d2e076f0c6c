namespace Host.Tools.Training;

/// <summary>Class weightings by CLI name (<c>enet</c>, <c>median</c>, <c>none</c>).</summary>
public static class ClassWeightingFactory
{
    private static readonly Dictionary<string, Func<IClassWeighting>> Entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["enet"] = () => new EnetClassWeighting(),
        ["median"] = () => new MedianFrequencyWeighting(),
        ["none"] = () => new UniformClassWeighting(),
    };

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    public static IClassWeighting Create(string name) =>
        Entries.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"--class-weights: expected one of {string.Join(", ", Entries.Keys)}, got '{name}'.");
}
