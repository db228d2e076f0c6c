using System.Numerics;
using Edge.Runtime.Models;
using OpenCvSharp;

namespace Edge.Runtime.Scoring;

/// <summary>
/// Standardized Max Logits (Jung et al., ICCV 2021): with c = argmax (first maximum) and m = max logit over all
/// channels, score = −(m − μ_c) / σ_c, so higher = more anomalous (a max logit below its class's usual value). Optional
/// <see cref="SmlPostProcessing"/>: iterative boundary suppression along changes of the predicted class, then dilated
/// Gaussian smoothing; both need the map size. The argmax and max are SIMD passes over the channel planes; the spatial
/// steps are OpenCV calls on buffers allocated once. Not thread-safe (like the runtime's other per-frame objects).
/// </summary>
public sealed class StandardizedMaxLogitScorer : IAnomalyScorer, IDisposable
{
    private readonly float[] _means;
    private readonly float[] _inverseStds;
    private readonly SmlPostProcessing _post;
    private readonly int _height;
    private readonly int _width;
    private readonly Mat? _smoothingKernel;
    private readonly Mat _classes = new();
    private readonly Mat _dilated = new();
    private readonly Mat _eroded = new();
    private readonly Mat _boundary = new();
    private readonly Mat _inside = new();
    private readonly Mat _weighted = new();
    private readonly Mat _sum = new();
    private readonly Mat _count = new();
    private readonly Mat _average = new();
    private readonly Mat _replace = new();
    private readonly Mat _smoothed = new();
    private byte[] _argmax = [];

    public StandardizedMaxLogitScorer(SmlStatistics statistics, SmlPostProcessing? postProcessing = null, int height = 0, int width = 0)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var errors = statistics.Validate("sml", statistics.ClassMeans?.Count ?? 0).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"SML statistics are invalid: {string.Join("; ", errors)}", nameof(statistics));
        }

        _post = postProcessing ?? new SmlPostProcessing();
        var postErrors = _post.Validate("hazards.sml").ToList();
        if (postErrors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", postErrors), nameof(postProcessing));
        }

        if ((_post.BoundarySuppression || _post.DilatedSmoothing) && (height < 1 || width < 1))
        {
            throw new ArgumentException($"SML boundary suppression / dilated smoothing need the map size, got {height}x{width}.", nameof(height));
        }

        if (_post.BoundarySuppression && statistics.ClassMeans!.Count > 256)
        {
            throw new ArgumentException($"SML boundary suppression: expected at most 256 classes, got {statistics.ClassMeans.Count}.", nameof(statistics));
        }

        _means = [.. statistics.ClassMeans!.Select(m => (float)m)];
        _inverseStds = [.. statistics.ClassStds.Select(s => (float)(1 / s))];
        _height = height;
        _width = width;
        if (_post.DilatedSmoothing)
        {
            _smoothingKernel = DilatedGaussian(_post.SmoothingKernel, _post.SmoothingSigma, _post.SmoothingDilation);
        }
    }

    public string Name => "SML";

    public double Temperature => 1.0;

    /// <summary>Classes the statistics cover (the logits must have exactly this many channels).</summary>
    public int ClassCount => _means.Length;

    /// <summary>
    /// One dimension of the separable dilated Gaussian: <paramref name="taps"/> Gaussian weights (σ in taps, summing
    /// to 1) placed <paramref name="dilation"/> pixels apart, zeros between; length (taps − 1)·dilation + 1.
    /// </summary>
    public static float[] DilatedGaussianTaps(int taps, double sigma, int dilation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        var half = taps / 2;
        var weights = new double[taps];
        for (var i = 0; i < taps; i++)
        {
            weights[i] = Math.Exp(-((i - half) * (i - half)) / (2 * sigma * sigma));
        }

        var total = weights.Sum();
        var kernel = new float[((taps - 1) * dilation) + 1];
        for (var i = 0; i < taps; i++)
        {
            kernel[i * dilation] = (float)(weights[i] / total);
        }

        return kernel;
    }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        SoftmaxKernels.Validate(logits, channels, scores, Name);
        if (channels != _means.Length)
        {
            throw new ArgumentException($"SML: the statistics cover {_means.Length} classes, the logits have {channels} channels.", nameof(channels));
        }

        var pixels = scores.Length;
        if ((_post.BoundarySuppression || _post.DilatedSmoothing) && pixels != _height * _width)
        {
            throw new ArgumentException($"SML: expected a {_height}x{_width} map ({_height * _width} pixels), got {pixels} pixels.", nameof(scores));
        }

        if (_argmax.Length < pixels)
        {
            _argmax = GC.AllocateArray<byte>(pixels, pinned: true);
        }

        Standardize(logits, channels, scores, _argmax.AsSpan(0, pixels));
        if (_post.BoundarySuppression)
        {
            SuppressBoundaries(scores);
        }

        if (_post.DilatedSmoothing)
        {
            Smooth(scores);
        }
    }

    public void Dispose()
    {
        _smoothingKernel?.Dispose();
        foreach (var mat in new[] { _classes, _dilated, _eroded, _boundary, _inside, _weighted, _sum, _count, _average, _replace, _smoothed })
        {
            mat.Dispose();
        }
    }

    private static Mat DilatedGaussian(int taps, double sigma, int dilation)
    {
        var kernel = DilatedGaussianTaps(taps, sigma, dilation);
        var mat = new Mat(kernel.Length, 1, MatType.CV_32FC1);
        mat.SetArray(kernel);
        return mat;
    }

    /// <summary>Max and argmax in SIMD passes over the channel planes (block by block), then the per-class standardization.</summary>
    private void Standardize(ReadOnlySpan<float> logits, int channels, Span<float> scores, Span<byte> argmax)
    {
        var pixels = scores.Length;
        var lanes = Vector<float>.Count;
        Span<float> best = stackalloc float[SoftmaxKernels.BlockSize];
        Span<int> index = stackalloc int[SoftmaxKernels.BlockSize];
        for (var start = 0; start < pixels; start += SoftmaxKernels.BlockSize)
        {
            var n = Math.Min(SoftmaxKernels.BlockSize, pixels - start);
            logits.Slice(start, n).CopyTo(best);
            index[..n].Clear();
            for (var c = 1; c < channels; c++)
            {
                var plane = logits.Slice((c * pixels) + start, n);
                var cv = new Vector<int>(c);
                var i = 0;
                for (; i <= n - lanes; i += lanes)
                {
                    var v = new Vector<float>(plane[i..]);
                    var b = new Vector<float>(best[i..]);
                    var greater = Vector.GreaterThan(v, b);
                    Vector.ConditionalSelect(greater, v, b).CopyTo(best[i..]);
                    Vector.ConditionalSelect(greater, cv, new Vector<int>(index[i..])).CopyTo(index[i..]);
                }

                for (; i < n; i++)
                {
                    if (plane[i] > best[i])
                    {
                        best[i] = plane[i];
                        index[i] = c;
                    }
                }
            }

            var output = scores.Slice(start, n);
            var classes = argmax.Slice(start, n);
            for (var i = 0; i < n; i++)
            {
                var c = index[i];
                output[i] = (_means[c] - best[i]) * _inverseStds[c];
                classes[i] = (byte)c;
            }
        }
    }

    private unsafe void SuppressBoundaries(Span<float> scores)
    {
        fixed (float* scorePtr = scores)
        fixed (byte* classPtr = _argmax)
        {
            using var sml = Mat.FromPixelData(_height, _width, MatType.CV_32FC1, (nint)scorePtr);
            using var classes = Mat.FromPixelData(_height, _width, MatType.CV_8UC1, (nint)classPtr);
            var width = _post.BoundaryWidth;
            var step = (double)_post.BoundaryWidth / _post.BoundaryIterations;
            var window = new Size(3, 3);
            for (var iteration = 0; iteration < _post.BoundaryIterations; iteration++)
            {
                var r = (int)Math.Round(width - (iteration * step));
                if (r < 1)
                {
                    break;
                }

                // Boundary = pixels within r of a change of class: the window's max class differs from its min class.
                using (var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size((2 * r) + 1, (2 * r) + 1)))
                {
                    Cv2.Dilate(classes, _dilated, kernel, borderType: BorderTypes.Replicate);
                    Cv2.Erode(classes, _eroded, kernel, borderType: BorderTypes.Replicate);
                }

                Cv2.Compare(_dilated, _eroded, _boundary, CmpTypes.NE);
                Cv2.BitwiseNot(_boundary, _inside);
                _inside.ConvertTo(_inside, MatType.CV_32FC1, 1.0 / 255);

                // Mean SML of the non-boundary pixels of each 3x3 window, written into boundary pixels that have any.
                Cv2.Multiply(sml, _inside, _weighted);
                Cv2.BoxFilter(_weighted, _sum, MatType.CV_32FC1, window, normalize: false, borderType: BorderTypes.Constant);
                Cv2.BoxFilter(_inside, _count, MatType.CV_32FC1, window, normalize: false, borderType: BorderTypes.Constant);
                Cv2.Compare(_count, Scalar.All(0.5), _replace, CmpTypes.GT);
                Cv2.BitwiseAnd(_replace, _boundary, _replace);
                Cv2.Divide(_sum, _count, _average);
                _average.CopyTo(sml, _replace);
            }
        }
    }

    private unsafe void Smooth(Span<float> scores)
    {
        fixed (float* scorePtr = scores)
        {
            using var sml = Mat.FromPixelData(_height, _width, MatType.CV_32FC1, (nint)scorePtr);
            Cv2.SepFilter2D(sml, _smoothed, MatType.CV_32FC1, _smoothingKernel!, _smoothingKernel!, borderType: BorderTypes.Reflect);
            _smoothed.CopyTo(sml);
        }
    }
}
