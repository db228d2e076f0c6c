using Edge.Runtime.Hazards;
using OpenCvSharp;

namespace Edge.Runtime.Tests.Hazards;

/// <summary>ModelRoadArea as it was (Cv2.Dilate with the ellipse), the reference of the run-based dilation. The pixels the model labels road, dilated by N pixels so objects standing on the road fall inside.</summary>
internal sealed class ReferenceModelRoadArea : IDrivableArea
{
    private readonly Mat? _kernel;

    public ReferenceModelRoadArea(int dilatePx)
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
