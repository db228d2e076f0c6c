namespace Host.Tools.Calibration;

/// <summary>Cached logits of labelled pixels (pixel-major: <c>Count × Classes</c>) with their class labels.</summary>
public sealed class CalibrationPixels
{
    private readonly List<float> _logits = [];
    private readonly List<byte> _labels = [];

    public CalibrationPixels(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Classes = classes;
    }

    public int Classes { get; }

    public int Count => _labels.Count;

    public IReadOnlyList<byte> Labels => _labels;

    public ReadOnlySpan<float> LogitsOf(int pixel) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_logits).Slice(pixel * Classes, Classes);

    public void Add(ReadOnlySpan<float> pixelLogits, byte label)
    {
        if (pixelLogits.Length != Classes)
        {
            throw new ArgumentException($"Expected {Classes} logits per pixel, got {pixelLogits.Length}.");
        }

        if (label >= Classes)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label must be below {Classes}.");
        }

        foreach (var v in pixelLogits)
        {
            _logits.Add(v);
        }

        _labels.Add(label);
    }

    /// <summary>
    /// Adds every <paramref name="stride"/>-th labelled pixel of one image: <paramref name="chwLogits"/> is C planes of
    /// <c>labels.Length</c> pixels; labels ≥ <see cref="Classes"/> (void / ignore) are skipped.
    /// </summary>
    public void AddImage(ReadOnlySpan<float> chwLogits, int channels, ReadOnlySpan<byte> labels, int stride)
    {
        if (channels < Classes)
        {
            throw new ArgumentException($"The model has {channels} output channels, the labels need {Classes}.");
        }

        var pixels = labels.Length;
        Span<float> buffer = stackalloc float[Classes];
        for (var i = 0; i < pixels; i += stride)
        {
            if (labels[i] >= Classes)
            {
                continue;
            }

            for (var c = 0; c < Classes; c++)
            {
                buffer[c] = chwLogits[(c * pixels) + i];
            }

            Add(buffer, labels[i]);
        }
    }
}
