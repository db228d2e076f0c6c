namespace Host.Tools.Preprocessing;

/// <summary>
/// Precomputed fixed-point coefficients of Pillow's bilinear (triangle) resampling along one axis.
/// For output index <c>i</c>, taps are input indices <c>Start[i] .. Start[i] + Count[i] - 1</c> with integer weights
/// <c>Weights[i * KernelSize + k]</c> scaled by <c>2^PrecisionBits</c>.
/// </summary>
public sealed class ResampleAxis
{
    /// <summary>Pillow's PRECISION_BITS = 32 - 8 - 2.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    private readonly int[] _start;
    private readonly int[] _count;
    private readonly int[] _weights;

    private ResampleAxis(int inSize, int outSize, int kernelSize, int[] start, int[] count, int[] weights)
    {
        InSize = inSize;
        OutSize = outSize;
        KernelSize = kernelSize;
        _start = start;
        _count = count;
        _weights = weights;
    }

    public int InSize { get; }

    public int OutSize { get; }

    /// <summary>Stride of <see cref="Weights"/> per output index (maximum number of taps).</summary>
    public int KernelSize { get; }

    public ReadOnlySpan<int> Start => _start;

    public ReadOnlySpan<int> Count => _count;

    public ReadOnlySpan<int> Weights => _weights;

    /// <summary>Computes Pillow 9.4's bilinear coefficients for resizing an axis of <paramref name="inSize"/> to <paramref name="outSize"/>.</summary>
    public static ResampleAxis Bilinear(int inSize, int outSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outSize, 1);

        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 1.0 * filterScale; // triangle filter radius 1, stretched when shrinking (antialias)
        var kernelSize = ((int)Math.Ceiling(support) * 2) + 1;
        var inverseFilterScale = 1.0 / filterScale;

        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * kernelSize];
        Span<double> raw = kernelSize <= 256 ? stackalloc double[kernelSize] : new double[kernelSize];

        for (var i = 0; i < outSize; i++)
        {
            var center = (i + 0.5) * scale;
            var xmin = (int)(center - support + 0.5); // C cast: truncation toward zero
            if (xmin < 0)
            {
                xmin = 0;
            }

            var xmax = (int)(center + support + 0.5);
            if (xmax > inSize)
            {
                xmax = inSize;
            }

            var taps = xmax - xmin;
            var sum = 0.0;
            for (var k = 0; k < taps; k++)
            {
                var w = Triangle((k + xmin - center + 0.5) * inverseFilterScale);
                raw[k] = w;
                sum += w;
            }

            var row = weights.AsSpan(i * kernelSize, kernelSize);
            for (var k = 0; k < taps; k++)
            {
                var normalized = sum != 0.0 ? raw[k] / sum : raw[k];
                var scaled = normalized * (1 << PrecisionBits);
                row[k] = normalized < 0 ? (int)(-0.5 + scaled) : (int)(0.5 + scaled);
            }

            start[i] = xmin;
            count[i] = taps;
        }

        return new ResampleAxis(inSize, outSize, kernelSize, start, count, weights);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
