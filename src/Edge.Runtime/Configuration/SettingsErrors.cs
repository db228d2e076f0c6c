namespace Edge.Runtime.Configuration;

/// <summary>
/// Turns the rule violations of a settings record (each "field: expected ..., got ...", field as its JSON path) into
/// one <see cref="ArgumentException"/>: how a component rejects options it was given directly.
/// </summary>
public static class SettingsErrors
{
    /// <exception cref="ArgumentException">Any violation; the message lists them all.</exception>
    public static void ThrowIfAny(IEnumerable<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var list = errors.ToList();
        if (list.Count == 1)
        {
            throw new ArgumentException(list[0] + ".");
        }

        if (list.Count > 1)
        {
            throw new ArgumentException($"Invalid settings:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", list)}");
        }
    }
}
