using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Hazards;

/// <summary>
/// The hazard extractor as it was before the SIMD/ROI rewrite (scalar threshold and a scalar accumulation pass over the
/// whole label map), kept verbatim as the independent reference of <see cref="HazardExtractor"/>.
/// Score map → hazards: threshold → drivable-area restriction → morphological open/close → 8-connected components
/// with stats → per-component max/mean score → boxes scaled to source-frame pixels → minimum-area filter.
/// Works at model resolution in masks allocated once per map size. Not thread-safe.
/// </summary>
internal sealed class ReferenceHazardExtractor : IDisposable
{
    private readonly HazardSettings _settings;
    private readonly IDrivableArea _area;
    private readonly Mat? _openKernel;
    private readonly Mat? _closeKernel;
    private readonly Mat _labels = new();
    private readonly Mat _stats = new();
    private readonly Mat _centroids = new();
    private byte[] _binaryBytes = [];
    private Mat? _binary;
    private Mat? _areaMask;
    private double[] _sum = [];
    private float[] _max = [];
    private int[] _inArea = [];

    public ReferenceHazardExtractor(HazardSettings settings, float threshold, IDrivableArea area)
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
    }

    /// <summary>Pixels scoring at or above this are anomalous.</summary>
    public float Threshold { get; }

    /// <summary>Finds the hazards of <paramref name="map"/> for a source frame of the given size into <paramref name="hazards"/> (cleared first).</summary>
    public unsafe void Extract(ScoreMap map, int sourceWidth, int sourceHeight, List<Hazard> hazards)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(hazards);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        hazards.Clear();
        EnsureBuffers(map.Width, map.Height);
        var binary = _binary!;
        var areaMask = _areaMask!;

        var scores = map.Scores.AsSpan(0, map.PixelCount);
        var bits = _binaryBytes.AsSpan(0, map.PixelCount);
        var any = false;
        for (var i = 0; i < scores.Length; i++)
        {
            var hit = scores[i] >= Threshold;
            bits[i] = hit ? (byte)255 : (byte)0;
            any |= hit;
        }

        if (!any)
        {
            return;
        }

        _area.Compute(map, areaMask);
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

        Accumulate(map, count, areaMask);
        var sx = (double)sourceWidth / map.Width;
        var sy = (double)sourceHeight / map.Height;
        var frameArea = (double)sourceWidth * sourceHeight;
        for (var label = 1; label < count; label++)
        {
            var pixels = _stats.At<int>(label, (int)ConnectedComponentsTypes.Area);
            var area = (int)Math.Round(pixels * sx * sy);
            if (area < _settings.MinAreaPx)
            {
                continue;
            }

            var x = _stats.At<int>(label, (int)ConnectedComponentsTypes.Left);
            var y = _stats.At<int>(label, (int)ConnectedComponentsTypes.Top);
            var w = _stats.At<int>(label, (int)ConnectedComponentsTypes.Width);
            var h = _stats.At<int>(label, (int)ConnectedComponentsTypes.Height);
            var x0 = (int)Math.Floor(x * sx);
            var y0 = (int)Math.Floor(y * sy);
            var x1 = Math.Min(sourceWidth, (int)Math.Ceiling((x + w) * sx));
            var y1 = Math.Min(sourceHeight, (int)Math.Ceiling((y + h) * sy));
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
        _labels.Dispose();
        _stats.Dispose();
        _centroids.Dispose();
        _binary?.Dispose();
        _areaMask?.Dispose();
        _area.Dispose();
    }

    private unsafe void Accumulate(ScoreMap map, int count, Mat areaMask)
    {
        if (_sum.Length < count)
        {
            var size = Math.Max(count, _sum.Length * 2);
            _sum = new double[size];
            _max = new float[size];
            _inArea = new int[size];
        }

        _sum.AsSpan(0, count).Clear();
        _max.AsSpan(0, count).Fill(float.NegativeInfinity);
        _inArea.AsSpan(0, count).Clear();
        var labels = new ReadOnlySpan<int>((void*)_labels.Data, map.PixelCount);
        var area = new ReadOnlySpan<byte>((void*)areaMask.Data, map.PixelCount);
        var scores = map.Scores.AsSpan(0, map.PixelCount);
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label == 0)
            {
                continue;
            }

            var s = scores[i];
            _sum[label] += s;
            if (s > _max[label])
            {
                _max[label] = s;
            }

            if (area[i] != 0)
            {
                _inArea[label]++;
            }
        }
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
