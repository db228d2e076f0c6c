namespace Host.Tools.Metrics;

/// <summary>
/// Pixel confusion matrix for semantic segmentation: rows = ground-truth class 0..C−1, columns = predicted index
/// 0..P−1 (P ≥ C: a network may predict extra channels such as void, which then only count as misses of the true
/// class). Ground-truth pixels equal to <see cref="IgnoreLabel"/> (or ≥ C) are skipped.
/// IoU_c = TP / (TP + FP + FN); mIoU = mean over the classes present in ground truth or prediction (union &gt; 0),
/// which on a full validation set (every class present) equals the erfnet <c>iouEval</c> mean over all classes.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    public ConfusionMatrix(int classes, int predictedClasses, byte ignoreLabel = 255)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(predictedClasses, classes);
        Classes = classes;
        PredictedClasses = predictedClasses;
        IgnoreLabel = ignoreLabel;
        _counts = new long[classes * predictedClasses];
    }

    public int Classes { get; }

    public int PredictedClasses { get; }

    public byte IgnoreLabel { get; }

    public long this[int truth, int predicted] => _counts[(truth * PredictedClasses) + predicted];

    public void Add(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"Ground truth has {truth.Length} pixels but the prediction {predicted.Length}.", nameof(predicted));
        }

        for (var i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = predicted[i];
            if (t == IgnoreLabel || t >= Classes)
            {
                continue;
            }

            if (p >= PredictedClasses)
            {
                throw new ArgumentException($"Predicted index {p} at pixel {i} is not below {PredictedClasses}.", nameof(predicted));
            }

            _counts[(t * PredictedClasses) + p]++;
        }
    }

    /// <summary>IoU per ground-truth class; NaN for a class absent from both ground truth and prediction.</summary>
    public double[] IoU()
    {
        var result = new double[Classes];
        for (var c = 0; c < Classes; c++)
        {
            long tp = this[c, c], fn = 0, fp = 0;
            for (var p = 0; p < PredictedClasses; p++)
            {
                if (p != c)
                {
                    fn += this[c, p];
                }
            }

            for (var t = 0; t < Classes; t++)
            {
                if (t != c)
                {
                    fp += this[t, c];
                }
            }

            var union = tp + fp + fn;
            result[c] = union == 0 ? double.NaN : tp / (double)union;
        }

        return result;
    }

    /// <summary>Mean IoU over the classes with a defined IoU; NaN when none.</summary>
    public double MeanIoU()
    {
        var defined = IoU().Where(v => !double.IsNaN(v)).ToArray();
        return defined.Length == 0 ? double.NaN : defined.Average();
    }

    /// <summary>First-max argmax over <paramref name="channels"/> planes of <paramref name="prediction"/>.Length pixels (as torch <c>max(1)</c>).</summary>
    public static void ArgMax(ReadOnlySpan<float> logits, int channels, Span<byte> prediction)
    {
        var pixels = prediction.Length;
        if (channels is < 1 or > 256 || (long)channels * pixels != logits.Length)
        {
            throw new ArgumentException($"Logits length {logits.Length} does not match {channels} channels (1..256) x {pixels} pixels.", nameof(logits));
        }

        var best = new float[pixels];
        logits[..pixels].CopyTo(best);
        prediction.Clear();
        for (var c = 1; c < channels; c++)
        {
            var plane = logits.Slice(c * pixels, pixels);
            for (var i = 0; i < pixels; i++)
            {
                if (plane[i] > best[i])
                {
                    best[i] = plane[i];
                    prediction[i] = (byte)c;
                }
            }
        }
    }
}
