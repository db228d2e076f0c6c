namespace Host.Tools.Training;

/// <summary>ENet's weighting: w_c = 1 / ln(c + p_c), p_c = class pixels / all labelled pixels, c = 1.02.</summary>
public sealed class EnetClassWeighting : IClassWeighting
{
    public const double DefaultC = 1.02;

    private readonly double _c;

    public EnetClassWeighting(double c = DefaultC)
    {
        if (!(c > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(c), c, "ENet weighting constant: expected > 1.");
        }

        _c = c;
    }

    public string Name => "enet";

    public float[] Compute(ClassFrequencies frequencies)
    {
        double total = frequencies.PixelCounts.Sum();
        return [.. frequencies.PixelCounts.Select(n => (float)(1.0 / Math.Log(_c + (total > 0 ? n / total : 0))))];
    }

    /// <summary>
    /// The paper's void classifier: ENet weights over every class but the last (void's pixels not counted in the
    /// shares), and weight 1 for the last class, void.
    /// </summary>
    public float[] ComputeWithVoidLast(ClassFrequencies frequencies)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        var withoutVoid = frequencies.PixelCounts[..^1];
        return [.. Compute(new ClassFrequencies(withoutVoid, withoutVoid)), 1f];
    }
}
