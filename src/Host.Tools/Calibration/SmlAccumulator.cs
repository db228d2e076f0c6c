using Edge.Runtime.Models;

namespace Host.Tools.Calibration;

/// <summary>
/// Per predicted class (argmax, first maximum), the count, mean and variance of the max logit over frames: each frame's
/// per-class sums are merged into running totals with Chan's pairwise update, so long runs stay accurate. A class
/// never predicted gets the statistics of all pixels (and is listed in <see cref="UnseenClasses"/>).
/// </summary>
public sealed class SmlAccumulator
{
    private readonly long[] _count;
    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly long[] _frameCount;
    private readonly double[] _frameSum;
    private readonly double[] _frameSumSquares;

    public SmlAccumulator(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Classes = classes;
        _count = new long[classes];
        _mean = new double[classes];
        _m2 = new double[classes];
        _frameCount = new long[classes];
        _frameSum = new double[classes];
        _frameSumSquares = new double[classes];
    }

    public int Classes { get; }

    public int Frames { get; private set; }

    /// <summary>Pixels seen per class.</summary>
    public IReadOnlyList<long> Counts => _count;

    /// <summary>Classes no pixel was predicted as (after at least one frame).</summary>
    public IReadOnlyList<int> UnseenClasses => [.. Enumerable.Range(0, Classes).Where(c => _count[c] == 0)];

    /// <summary>Adds one frame: <paramref name="logits"/> holds <see cref="Classes"/> planes of <paramref name="pixels"/> values.</summary>
    public void Add(ReadOnlySpan<float> logits, int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        if (logits.Length != Classes * pixels)
        {
            throw new ArgumentException($"SML calibration: expected {Classes} x {pixels} logits, got {logits.Length}.", nameof(logits));
        }

        Array.Clear(_frameCount);
        Array.Clear(_frameSum);
        Array.Clear(_frameSumSquares);
        for (var i = 0; i < pixels; i++)
        {
            var best = logits[i];
            var c = 0;
            for (var k = 1; k < Classes; k++)
            {
                var v = logits[(k * pixels) + i];
                if (v > best)
                {
                    best = v;
                    c = k;
                }
            }

            _frameCount[c]++;
            _frameSum[c] += best;
            _frameSumSquares[c] += (double)best * best;
        }

        for (var c = 0; c < Classes; c++)
        {
            var n = _frameCount[c];
            if (n == 0)
            {
                continue;
            }

            var mean = _frameSum[c] / n;
            var m2 = Math.Max(0, _frameSumSquares[c] - (n * mean * mean));
            var total = _count[c] + n;
            var delta = mean - _mean[c];
            _mean[c] += delta * n / total;
            _m2[c] += m2 + (delta * delta * _count[c] * n / total);
            _count[c] = total;
        }

        Frames++;
    }

    /// <summary>The statistics (population standard deviation, floored at <paramref name="minStd"/>).</summary>
    public SmlStatistics ToStatistics(IReadOnlyList<string> source, double minStd = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Frames == 0)
        {
            throw new InvalidOperationException("SML calibration: no frames were added.");
        }

        long allCount = 0;
        double allMean = 0;
        double allM2 = 0;
        for (var c = 0; c < Classes; c++)
        {
            if (_count[c] == 0)
            {
                continue;
            }

            var total = allCount + _count[c];
            var delta = _mean[c] - allMean;
            allMean += delta * _count[c] / total;
            allM2 += _m2[c] + (delta * delta * allCount * _count[c] / total);
            allCount = total;
        }

        var allStd = Math.Sqrt(allM2 / allCount);
        var means = new double[Classes];
        var stds = new double[Classes];
        for (var c = 0; c < Classes; c++)
        {
            means[c] = _count[c] > 0 ? _mean[c] : allMean;
            stds[c] = Math.Max(minStd, _count[c] > 0 ? Math.Sqrt(_m2[c] / _count[c]) : allStd);
        }

        return new SmlStatistics { ClassMeans = means, ClassStds = stds, Frames = Frames, Source = [.. source] };
    }
}
