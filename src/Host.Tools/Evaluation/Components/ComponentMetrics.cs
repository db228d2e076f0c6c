using OpenCvSharp;

namespace Host.Tools.Evaluation.Components;

/// <summary>
/// SegmentMeIfYouCan component-level metrics, accumulated image by image over one set. Labels are mapped masks
/// (<see cref="AnomalyDataset.Normal"/> 0, <see cref="AnomalyDataset.Anomaly"/> 1, <see cref="AnomalyDataset.Ignore"/>
/// 255; region of interest = label != 255). Per image:
/// <list type="number">
/// <item>prediction = score &gt; threshold (or a given binary map) inside the region of interest;</item>
/// <item>8-connected components of the prediction and of the anomaly label; predicted components smaller than
/// <see cref="ComponentSettings.MinSegmentPixels"/> removed, label components smaller than
/// <see cref="ComponentSettings.MinObjectPixels"/> moved to the ignored region (their pixels no longer count for
/// any component);</item>
/// <item>per label component G: P = the predicted components that intersect it, I = |P ∩ G|, A = pixels of P on other
/// label components, sIoU = I / (|P| + |G| − I − A); per predicted component: PPV = |pred ∩ any label component| / |pred|;</item>
/// <item>at each τ of <see cref="Taus"/>: TP += #(sIoU ≥ τ), FN += #(sIoU &lt; τ), FP += #(PPV &lt; τ).</item>
/// </list>
/// <see cref="ToResult"/>: F1_τ = 2TP / (2TP + FN + FP) over the set, mean F1 over the 11 τ, mean sIoU over label
/// components and mean PPV over predicted components (percent). Buffers (masks, label images, per-component
/// counters) are kept between images: after the first image of a size, an image allocates nothing but two Mat headers.
/// Not thread-safe: one instance per (set, score).
/// </summary>
public sealed class ComponentMetrics : IDisposable
{
    private readonly long[] _truePositives;
    private readonly long[] _falseNegatives;
    private readonly long[] _falsePositives;
    private readonly Mat _segmentLabels = new();
    private readonly Mat _segmentStats = new();
    private readonly Mat _objectLabels = new();
    private readonly Mat _objectStats = new();
    private readonly Mat _centroids = new();
    private readonly HashSet<long> _pairs = [];
    private byte[] _prediction = [];
    private byte[] _objectMask = [];
    private int[] _segmentArea = [];
    private int[] _segmentOnObjects = [];
    private int[] _objectCovered = [];
    private long[] _objectTouchingArea = [];
    private long[] _objectTouchingOnObjects = [];
    private bool[] _keepSegment = [];
    private bool[] _keepObject = [];
    private double _siouSum;
    private double _ppvSum;
    private long _objects;
    private long _segments;

    public ComponentMetrics(ComponentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _truePositives = new long[Taus.Count];
        _falseNegatives = new long[Taus.Count];
        _falsePositives = new long[Taus.Count];
    }

    /// <summary>τ = 0.25, 0.30, …, 0.75 (11 values, as SegmentMeIfYouCan's <c>np.linspace(0.25, 0.75, 11)</c>).</summary>
    public static IReadOnlyList<double> Taus { get; } = [.. Enumerable.Range(0, 11).Select(k => (25 + (5 * k)) / 100.0)];

    public ComponentSettings Settings { get; }

    /// <summary>Images accumulated so far.</summary>
    public int Images { get; private set; }

    /// <summary>Adds one image: predicted = <paramref name="scores"/>[i] &gt; <paramref name="threshold"/> inside the region of interest.</summary>
    public ComponentImageStats Accumulate(ReadOnlySpan<float> scores, float threshold, ReadOnlySpan<byte> labels, int width, int height)
    {
        CheckSizes(scores.Length, labels.Length, width, height, nameof(scores));
        var prediction = Prepare(labels, width * height);
        for (var i = 0; i < prediction.Length; i++)
        {
            prediction[i] = scores[i] > threshold && labels[i] != AnomalyDataset.Ignore ? (byte)1 : (byte)0;
        }

        return Measure(width, height);
    }

    /// <summary>Adds one image from a binary prediction (non-zero = anomaly), restricted to the region of interest.</summary>
    public ComponentImageStats Accumulate(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> labels, int width, int height)
    {
        CheckSizes(prediction.Length, labels.Length, width, height, nameof(prediction));
        var mask = Prepare(labels, width * height);
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = prediction[i] != 0 && labels[i] != AnomalyDataset.Ignore ? (byte)1 : (byte)0;
        }

        return Measure(width, height);
    }

    /// <summary>The set's figures so far; <paramref name="threshold"/> is recorded as the score threshold used.</summary>
    public ComponentResult ToResult(double threshold)
    {
        var counts = new ComponentCounts[Taus.Count];
        for (var k = 0; k < counts.Length; k++)
        {
            counts[k] = new ComponentCounts(Taus[k], _truePositives[k], _falseNegatives[k], _falsePositives[k]);
        }

        var f1 = counts.Select(c => c.F1).ToArray();
        return new ComponentResult
        {
            Threshold = threshold,
            MinSegmentPixels = Settings.MinSegmentPixels,
            MinObjectPixels = Settings.MinObjectPixels,
            SIoUGt = Percent(_objects == 0 ? double.NaN : _siouSum / _objects),
            Ppv = Percent(_segments == 0 ? double.NaN : _ppvSum / _segments),
            F1At25 = Percent(f1[0]),
            F1At50 = Percent(f1[5]),
            F1At75 = Percent(f1[10]),
            F1Mean = Percent(f1.Any(double.IsNaN) ? double.NaN : f1.Average()),
            Objects = (int)_objects,
            Segments = (int)_segments,
            Counts = counts,
        };
    }

    public void Dispose()
    {
        _segmentLabels.Dispose();
        _segmentStats.Dispose();
        _objectLabels.Dispose();
        _objectStats.Dispose();
        _centroids.Dispose();
    }

    private static void CheckSizes(int predictionLength, int labelLength, int width, int height, string name)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"Component metrics: expected a positive size, got {width}x{height}.", nameof(width));
        }

        var pixels = (long)width * height;
        if (predictionLength != pixels || labelLength != pixels)
        {
            throw new ArgumentException($"Component metrics: {name} has {predictionLength} pixels and labels {labelLength}; expected {pixels} ({width}x{height}) each.", name);
        }
    }

    private static double? Percent(double value) => double.IsNaN(value) ? null : Math.Round(value * 100, 4);

    private static unsafe int LabelComponents(byte[] mask, int width, int height, Mat labels, Mat stats, Mat centroids)
    {
        fixed (byte* data = mask)
        {
            using var image = Mat.FromPixelData(height, width, MatType.CV_8UC1, (IntPtr)data);
            return Cv2.ConnectedComponentsWithStats(image, labels, stats, centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        }
    }

    private static unsafe ReadOnlySpan<int> Pixels(Mat labels, int count)
    {
        if (!labels.IsContinuous() || labels.Type() != MatType.CV_32SC1 || labels.Total() != count)
        {
            throw new InvalidOperationException($"Connected components: expected a continuous CV_32SC1 label image of {count} pixels, got {labels.Type()} with {labels.Total()}.");
        }

        return new ReadOnlySpan<int>((void*)labels.Data, count);
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }

    /// <summary>Checks the label values, fills the anomaly mask and returns the prediction buffer to fill.</summary>
    private byte[] Prepare(ReadOnlySpan<byte> labels, int pixels)
    {
        if (_prediction.Length != pixels)
        {
            _prediction = new byte[pixels];
            _objectMask = new byte[pixels];
        }

        for (var i = 0; i < pixels; i++)
        {
            var v = labels[i];
            if (v is not (AnomalyDataset.Normal or AnomalyDataset.Anomaly or AnomalyDataset.Ignore))
            {
                throw new ArgumentException(
                    $"Component metrics: label value {v} at pixel {i}; expected 0 (normal), 1 (anomaly) or 255 (ignore): map the set's mask values first (AnomalyDataset.LabelMap).",
                    nameof(labels));
            }

            _objectMask[i] = v == AnomalyDataset.Anomaly ? (byte)1 : (byte)0;
        }

        return _prediction;
    }

    private ComponentImageStats Measure(int width, int height)
    {
        var pixels = width * height;
        var segmentCount = LabelComponents(_prediction, width, height, _segmentLabels, _segmentStats, _centroids);
        var objectCount = LabelComponents(_objectMask, width, height, _objectLabels, _objectStats, _centroids);
        Grow(ref _segmentArea, segmentCount);
        Grow(ref _segmentOnObjects, segmentCount);
        Grow(ref _keepSegment, segmentCount);
        Grow(ref _objectCovered, objectCount);
        Grow(ref _objectTouchingArea, objectCount);
        Grow(ref _objectTouchingOnObjects, objectCount);
        Grow(ref _keepObject, objectCount);
        Array.Clear(_segmentArea, 0, segmentCount);
        Array.Clear(_segmentOnObjects, 0, segmentCount);
        Array.Clear(_objectCovered, 0, objectCount);
        Array.Clear(_objectTouchingArea, 0, objectCount);
        Array.Clear(_objectTouchingOnObjects, 0, objectCount);
        _pairs.Clear();

        // Component 0 is the background of each labelling.
        _keepSegment[0] = false;
        for (var p = 1; p < segmentCount; p++)
        {
            _keepSegment[p] = _segmentStats.At<int>(p, (int)ConnectedComponentsTypes.Area) >= Settings.MinSegmentPixels;
        }

        _keepObject[0] = false;
        for (var g = 1; g < objectCount; g++)
        {
            _keepObject[g] = _objectStats.At<int>(g, (int)ConnectedComponentsTypes.Area) >= Settings.MinObjectPixels;
        }

        var segmentOf = Pixels(_segmentLabels, pixels);
        var objectOf = Pixels(_objectLabels, pixels);
        for (var i = 0; i < pixels; i++)
        {
            var g = objectOf[i];
            if (g > 0 && !_keepObject[g])
            {
                continue; // a too-small label component is ignored region
            }

            var p = segmentOf[i];
            if (!_keepSegment[p])
            {
                continue; // background or a removed segment (the prediction is already 0 on label 255)
            }

            _segmentArea[p]++;
            if (g > 0)
            {
                _segmentOnObjects[p]++;
                _objectCovered[g]++;
                _pairs.Add(((long)g << 32) | (uint)p);
            }
        }

        // |P| and the pixels of P on any label component, per label component, from the segments touching it.
        foreach (var pair in _pairs)
        {
            var g = (int)(pair >> 32);
            var p = (int)(pair & 0xFFFF_FFFF);
            _objectTouchingArea[g] += _segmentArea[p];
            _objectTouchingOnObjects[g] += _segmentOnObjects[p];
        }

        int objects = 0, segments = 0, tp50 = 0, fp50 = 0;
        double siouSum = 0, ppvSum = 0;
        for (var g = 1; g < objectCount; g++)
        {
            if (!_keepObject[g])
            {
                continue;
            }

            // |P| + |G| − I − A with A = (pixels of P on label components) − I.
            long area = _objectStats.At<int>(g, (int)ConnectedComponentsTypes.Area);
            var union = _objectTouchingArea[g] + area - _objectTouchingOnObjects[g];
            var siou = _objectCovered[g] / (double)union;
            objects++;
            siouSum += siou;
            for (var k = 0; k < Taus.Count; k++)
            {
                if (siou >= Taus[k])
                {
                    _truePositives[k]++;
                }
                else
                {
                    _falseNegatives[k]++;
                }
            }

            tp50 += siou >= 0.5 ? 1 : 0;
        }

        for (var p = 1; p < segmentCount; p++)
        {
            if (!_keepSegment[p] || _segmentArea[p] == 0)
            {
                continue; // removed, or all of it on too-small label components
            }

            var ppv = _segmentOnObjects[p] / (double)_segmentArea[p];
            segments++;
            ppvSum += ppv;
            for (var k = 0; k < Taus.Count; k++)
            {
                if (ppv < Taus[k])
                {
                    _falsePositives[k]++;
                }
            }

            fp50 += ppv < 0.5 ? 1 : 0;
        }

        _objects += objects;
        _segments += segments;
        _siouSum += siouSum;
        _ppvSum += ppvSum;
        Images++;
        return new ComponentImageStats(objects, segments, siouSum, ppvSum, tp50, fp50);
    }
}
