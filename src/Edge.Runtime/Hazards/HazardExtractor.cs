using System.Numerics;
using System.Runtime.InteropServices;
using Edge.Runtime.Alerts;
using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>
/// Score map → hazards: threshold → ego-road cleanup of the road mask (optional, in place) → road-enclosure candidates
/// (optional) → drivable-area restriction → morphological open/close → 8-connected components
/// with stats → minimum-area and box-fill filters → per-component max/mean score (and known-object pixel count) over each kept
/// component's box → peak-score, known-object and road-beyond filters → boxes scaled to source-frame pixels. Works at model resolution in masks allocated once per map size; the threshold is one SIMD
/// pass and the rest is OpenCV, so a frame runs no scalar per-pixel loop over the whole map. Not thread-safe.
/// </summary>
public sealed class HazardExtractor : IDisposable
{
    private readonly HazardSettings _settings;
    private readonly IDrivableArea _area;
    private readonly Mat? _openKernel;
    private readonly Mat? _closeKernel;
    private readonly RoadEnclosure? _enclosure;
    private readonly EgoRoad? _egoRoad;
    private readonly PerspectiveMinArea? _perspective;
    private readonly bool[]? _knownClass;
    private readonly float _minPeak;
    private readonly Mat _labels = new();
    private readonly Mat _stats = new();
    private readonly Mat _centroids = new();
    private byte[] _binaryBytes = [];
    private Mat? _binary;
    private Mat? _areaMask;
    private double[] _sum = [];
    private float[] _max = [];
    private int[] _inArea = [];
    private int[] _known = [];
    private bool[] _reported = [];
    private byte[] _reportedBytes = [];
    private int _lastComponents;

    public HazardExtractor(HazardSettings settings, float threshold, IDrivableArea area)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(area);
        if (!float.IsFinite(threshold))
        {
            throw new ArgumentException($"Hazard threshold: expected a finite value, got {threshold}.", nameof(threshold));
        }

        _settings = settings;
        _area = area;
        Threshold = threshold;
        _openKernel = settings.OpenKernelPx > 1 ? Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(settings.OpenKernelPx, settings.OpenKernelPx)) : null;
        _closeKernel = settings.CloseKernelPx > 1 ? Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(settings.CloseKernelPx, settings.CloseKernelPx)) : null;
        _enclosure = settings.RoadEnclosure is { Enabled: true } enclosure ? new RoadEnclosure(enclosure) : null;
        _egoRoad = settings.RoadArea is { EgoRoad: true } road ? new EgoRoad(road.EgoRoadBottomFraction) : null;
        _perspective = settings.PerspectiveMinArea is { Enabled: true } perspective ? new PerspectiveMinArea(perspective) : null;
        _minPeak = settings.MinPeakScore is { } peak ? (float)peak : float.NegativeInfinity;
        if (settings.KnownObjects is { Enabled: true } known)
        {
            _knownClass = new bool[256];
            foreach (var c in known.Classes)
            {
                _knownClass[c] = true;
            }
        }
    }

    /// <summary>Whether <see cref="Extract"/> needs <see cref="ScoreMap.Labels"/> (the known-object filter is on).</summary>
    public bool NeedsLabels => _knownClass is not null;

    /// <summary>Pixels scoring at or above this are anomalous.</summary>
    public float Threshold { get; }

    /// <summary>
    /// The pixels of the hazards the last <see cref="Extract"/> reported, at map resolution (255 = pixel of a reported
    /// hazard: after threshold, candidates, road area, morphology and every per-hazard filter, before the
    /// <c>max_hazards</c> cap), row-major; valid until the next call. Computed on demand for evaluation, not in the frame path.
    /// </summary>
    public unsafe ReadOnlySpan<byte> ReportedMask()
    {
        var n = _binaryBytes.Length;
        if (_reportedBytes.Length != n)
        {
            _reportedBytes = new byte[n];
        }

        var mask = _reportedBytes.AsSpan();
        if (_lastComponents <= 1)
        {
            mask.Clear();
            return mask;
        }

        var labels = new ReadOnlySpan<int>((void*)_labels.Data, n);
        var reported = _reported;
        for (var i = 0; i < n; i++)
        {
            mask[i] = reported[labels[i]] ? (byte)255 : (byte)0;
        }

        return mask;
    }

    /// <summary>Finds the hazards of <paramref name="map"/> for a source frame of the given size into <paramref name="hazards"/> (cleared first).</summary>
    public unsafe void Extract(ScoreMap map, int sourceWidth, int sourceHeight, List<Hazard> hazards)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(hazards);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        hazards.Clear();
        _lastComponents = 0;
        if (_knownClass is not null && !map.HasLabels)
        {
            throw new InvalidOperationException("hazards.known_objects: the score map has no argmax labels (a heads model without a labels output, or an analyzer told not to compute them).");
        }

        EnsureBuffers(map.Width, map.Height);
        var binary = _binary!;
        var areaMask = _areaMask!;

        var any = ThresholdMask(map.Scores.AsSpan(0, map.PixelCount), Threshold, _binaryBytes.AsSpan(0, map.PixelCount));
        if (_egoRoad is not null && (any || _enclosure is not null))
        {
            _egoRoad.Apply(map); // in place: after this call map.Road is the ego road (the frame path reads it nowhere else)
        }

        if (_enclosure is not null)
        {
            any = _enclosure.Apply(map, binary);
        }

        if (!any)
        {
            return;
        }

        _area.Compute(map, areaMask);
        _enclosure?.ExtendArea(areaMask);
        var restrict = _settings.RoadArea.Restrict && _area.HasArea;
        if (restrict)
        {
            Cv2.BitwiseAnd(binary, areaMask, binary);
        }

        if (_openKernel is not null)
        {
            Cv2.MorphologyEx(binary, binary, MorphTypes.Open, _openKernel);
        }

        if (_closeKernel is not null)
        {
            Cv2.MorphologyEx(binary, binary, MorphTypes.Close, _closeKernel);
            if (restrict)
            {
                Cv2.BitwiseAnd(binary, areaMask, binary);
            }
        }

        var count = Cv2.ConnectedComponentsWithStats(binary, _labels, _stats, _centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        if (count <= 1)
        {
            return;
        }

        EnsureComponentBuffers(count);
        _lastComponents = count;
        Array.Clear(_reported, 0, count);
        var sx = (double)sourceWidth / map.Width;
        var sy = (double)sourceHeight / map.Height;
        var frameArea = (double)sourceWidth * sourceHeight;
        for (var label = 1; label < count; label++)
        {
            var pixels = _stats.At<int>(label, (int)ConnectedComponentsTypes.Area);
            var area = (int)Math.Round(pixels * sx * sy);
            var x = _stats.At<int>(label, (int)ConnectedComponentsTypes.Left);
            var y = _stats.At<int>(label, (int)ConnectedComponentsTypes.Top);
            var w = _stats.At<int>(label, (int)ConnectedComponentsTypes.Width);
            var h = _stats.At<int>(label, (int)ConnectedComponentsTypes.Height);
            if (area < _settings.MinAreaPx || (_perspective is not null && area < _perspective.MinAreaPx(y + h, map.Height))
                || pixels < _settings.MinBoxFill * w * h)
            {
                continue;
            }

            Accumulate(map, areaMask, label, new Rect(x, y, w, h));
            if (_max[label] < _minPeak || (_knownClass is not null && _known[label] >= _settings.KnownObjects.MinFraction * pixels)
                || (_settings.RoadBeyondRows > 0 && !RoadBeyond(map, x, y, w)))
            {
                continue;
            }

            var x0 = (int)Math.Floor(x * sx);
            var y0 = (int)Math.Floor(y * sy);
            var x1 = Math.Min(sourceWidth, (int)Math.Ceiling((x + w) * sx));
            var y1 = Math.Min(sourceHeight, (int)Math.Ceiling((y + h) * sy));
            _reported[label] = true;
            hazards.Add(new Hazard
            {
                Bbox = new BoundingBox(x0, y0, x1 - x0, y1 - y0),
                AreaPx = area,
                AreaFrac = area / frameArea,
                ScoreMax = _max[label],
                ScoreMean = (float)(_sum[label] / pixels),
                CentroidX = (_centroids.At<double>(label, 0) + 0.5) * sx,
                CentroidY = (_centroids.At<double>(label, 1) + 0.5) * sy,
                OnRoad = _area.HasArea && (restrict || _inArea[label] * 2 >= pixels),
            });
        }

        if (hazards.Count > _settings.MaxHazards)
        {
            hazards.Sort((a, b) => b.AreaPx.CompareTo(a.AreaPx));
            hazards.RemoveRange(_settings.MaxHazards, hazards.Count - _settings.MaxHazards);
        }
    }

    public void Dispose()
    {
        _openKernel?.Dispose();
        _closeKernel?.Dispose();
        _enclosure?.Dispose();
        _egoRoad?.Dispose();
        _labels.Dispose();
        _stats.Dispose();
        _centroids.Dispose();
        _binary?.Dispose();
        _areaMask?.Dispose();
        _area.Dispose();
    }

    /// <summary>
    /// <paramref name="mask"/>[i] = 255 where <paramref name="scores"/>[i] &gt;= <paramref name="threshold"/>, else 0 (NaN
    /// scores are 0); returns whether any pixel is set. SIMD over <see cref="Vector{T}"/> with a scalar tail.
    /// </summary>
    public static bool ThresholdMask(ReadOnlySpan<float> scores, float threshold, Span<byte> mask)
    {
        if (mask.Length < scores.Length)
        {
            throw new ArgumentException($"Threshold mask: expected at least {scores.Length} bytes, got {mask.Length}.", nameof(mask));
        }

        var i = 0;
        var hits = Vector<byte>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var step = Vector<byte>.Count;
            var lanes = Vector<float>.Count;
            var limit = new Vector<float>(threshold);
            var floats = MemoryMarshal.Cast<float, Vector<float>>(scores);
            for (; i <= scores.Length - step; i += step)
            {
                var v = i / lanes;
                var low = Vector.Narrow(Vector.GreaterThanOrEqual(floats[v], limit), Vector.GreaterThanOrEqual(floats[v + 1], limit));
                var high = Vector.Narrow(Vector.GreaterThanOrEqual(floats[v + 2], limit), Vector.GreaterThanOrEqual(floats[v + 3], limit));
                var bytes = Vector.AsVectorByte(Vector.Narrow(low, high));
                bytes.CopyTo(mask[i..]);
                hits |= bytes;
            }
        }

        var any = hits != Vector<byte>.Zero;
        for (; i < scores.Length; i++)
        {
            var hit = scores[i] >= threshold;
            mask[i] = hit ? (byte)255 : (byte)0;
            any |= hit;
        }

        return any;
    }

    /// <summary>Whether the map's road has a pixel in the <see cref="HazardSettings.RoadBeyondRows"/> rows above row
    /// <paramref name="top"/>, over columns <paramref name="x"/> .. x + <paramref name="width"/>.</summary>
    private bool RoadBeyond(ScoreMap map, int x, int top, int width)
    {
        for (var row = Math.Max(0, top - _settings.RoadBeyondRows); row < top; row++)
        {
            if (map.Road.AsSpan((row * map.Width) + x, width).IndexOfAnyExcept((byte)0) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void EnsureComponentBuffers(int count)
    {
        if (_sum.Length < count)
        {
            var size = Math.Max(count, _sum.Length * 2);
            _sum = new double[size];
            _max = new float[size];
            _inArea = new int[size];
            _known = new int[size];
            _reported = new bool[size];
        }
    }

    /// <summary>
    /// Sum (double, added in row-major pixel order), maximum, in-area count and known-object count (when that filter is
    /// on) of one component's pixels, over its bounding box only: components too small to be reported are never visited, and no pass covers the whole map.
    /// </summary>
    private unsafe void Accumulate(ScoreMap map, Mat areaMask, int label, Rect box)
    {
        var width = map.Width;
        var labels = new ReadOnlySpan<int>((void*)_labels.Data, map.PixelCount);
        var area = new ReadOnlySpan<byte>((void*)areaMask.Data, map.PixelCount);
        var scores = map.Scores.AsSpan(0, map.PixelCount);
        var classes = map.Labels.AsSpan(0, map.PixelCount);
        var knownClass = _knownClass;
        var sum = 0.0;
        var max = float.NegativeInfinity;
        var inArea = 0;
        var known = 0;
        for (var y = box.Y; y < box.Y + box.Height; y++)
        {
            var row = (y * width) + box.X;
            var rowLabels = labels.Slice(row, box.Width);
            var rowScores = scores.Slice(row, box.Width);
            var rowArea = area.Slice(row, box.Width);
            var rowClasses = classes.Slice(row, box.Width);
            for (var x = rowLabels.IndexOf(label); x >= 0 && x < rowLabels.Length; x++)
            {
                if (rowLabels[x] != label)
                {
                    continue;
                }

                var s = rowScores[x];
                sum += s;
                if (s > max)
                {
                    max = s;
                }

                if (rowArea[x] != 0)
                {
                    inArea++;
                }

                if (knownClass is not null && knownClass[rowClasses[x]])
                {
                    known++;
                }
            }
        }

        _known[label] = known;

        _sum[label] = sum;
        _max[label] = max;
        _inArea[label] = inArea;
    }

    private void EnsureBuffers(int width, int height)
    {
        if (_binary is not null && _binary.Width == width && _binary.Height == height)
        {
            return;
        }

        _binary?.Dispose();
        _areaMask?.Dispose();
        _binaryBytes = GC.AllocateArray<byte>(width * height, pinned: true);
        _binary = Mat.FromPixelData(height, width, MatType.CV_8UC1, _binaryBytes);
        _areaMask = new Mat(height, width, MatType.CV_8UC1, Scalar.All(0));
    }
}
