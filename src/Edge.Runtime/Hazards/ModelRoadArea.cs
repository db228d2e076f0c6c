using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>The pixels the model labels road, dilated by N pixels so objects standing on the road fall inside.</summary>
public sealed class ModelRoadArea : IDrivableArea
{
    private readonly Mat? _kernel;

    public ModelRoadArea(int dilatePx)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dilatePx);
        DilatePx = dilatePx;
        _kernel = dilatePx > 0 ? Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size((2 * dilatePx) + 1, (2 * dilatePx) + 1)) : null;
    }

    public int DilatePx { get; }

    public bool HasArea => true;

    public unsafe void Compute(ScoreMap map, Mat mask)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mask);
        fixed (byte* road = map.Road)
        {
            using var source = Mat.FromPixelData(map.Height, map.Width, MatType.CV_8UC1, (nint)road);
            if (_kernel is null)
            {
                source.CopyTo(mask);
            }
            else
            {
                Cv2.Dilate(source, mask, _kernel);
            }
        }
    }

    public void Dispose() => _kernel?.Dispose();
}
