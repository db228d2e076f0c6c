using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>The pixels the model labels road, dilated by N pixels so objects standing on the road fall inside.</summary>
public sealed class ModelRoadArea : IDrivableArea
{
    private readonly EllipseDilation? _dilation;

    public ModelRoadArea(int dilatePx)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dilatePx);
        DilatePx = dilatePx;
        _dilation = dilatePx > 0 ? new EllipseDilation(dilatePx) : null;
    }

    public int DilatePx { get; }

    public bool HasArea => true;

    public unsafe void Compute(ScoreMap map, Mat mask)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mask);
        if (!mask.IsContinuous() || mask.Type() != MatType.CV_8UC1 || mask.Width != map.Width || mask.Height != map.Height)
        {
            throw new ArgumentException($"Road area mask: expected a continuous CV_8UC1 {map.Width}x{map.Height} Mat, got {mask.Type()} {mask.Width}x{mask.Height}.", nameof(mask));
        }

        var output = new Span<byte>((void*)mask.Data, map.PixelCount);
        if (_dilation is null)
        {
            map.Road.AsSpan(0, map.PixelCount).CopyTo(output);
        }
        else
        {
            _dilation.Apply(map.Road, output, map.Width, map.Height);
        }
    }

    public void Dispose() => _dilation?.Dispose();
}
