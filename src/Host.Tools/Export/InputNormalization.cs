using System.Globalization;

namespace Host.Tools.Export;

/// <summary>
/// Per-channel input standardisation <c>(x − mean) / std</c> (RGB, x in [0,1]) that a checkpoint was trained with. The
/// exporter writes it into the ONNX graph (Sub, Div before the network), so every EdgeSeg consumer keeps feeding the
/// paper's [0,1] input and the model computes what its training saw.
/// </summary>
public sealed record InputNormalization
{
    public required IReadOnlyList<float> Mean { get; init; }

    public required IReadOnlyList<float> Std { get; init; }

    /// <summary>Parses <c>"r,g,b"</c> mean and std options; errors name the option and what was expected.</summary>
    public static InputNormalization Parse(string mean, string std, string meanOption = "--input-mean", string stdOption = "--input-std")
    {
        var result = new InputNormalization { Mean = ParseTriple(mean, meanOption), Std = ParseTriple(std, stdOption) };
        result.Validate(meanOption, stdOption);
        return result;
    }

    /// <summary>The <c>--input-mean</c> / <c>--input-std</c> pair of a command: null when both are absent.</summary>
    public static InputNormalization? FromOptions(string? mean, string? std) => (mean, std) switch
    {
        (null, null) => null,
        ({ } m, { } s) => Parse(m, s),
        _ => throw new ArgumentException("--input-mean and --input-std: expected both or neither."),
    };

    public void Validate(string meanField = "mean", string stdField = "std")
    {
        if (Mean is not { Count: 3 } || Mean.Any(m => !float.IsFinite(m)))
        {
            throw new ArgumentException($"{meanField}: expected 3 finite values (R,G,B), got [{string.Join(", ", Mean ?? [])}].");
        }

        if (Std is not { Count: 3 } || Std.Any(s => !(s > 0) || !float.IsFinite(s)))
        {
            throw new ArgumentException($"{stdField}: expected 3 finite values > 0 (R,G,B), got [{string.Join(", ", Std ?? [])}].");
        }
    }

    public override string ToString() =>
        $"mean [{string.Join(", ", Mean.Select(m => m.ToString("R", CultureInfo.InvariantCulture)))}], std [{string.Join(", ", Std.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}]";

    private static float[] ParseTriple(string text, string option)
    {
        var parts = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new ArgumentException($"{option}: expected three comma-separated numbers R,G,B, got '{text}'.");
            }
        }

        return values;
    }
}
