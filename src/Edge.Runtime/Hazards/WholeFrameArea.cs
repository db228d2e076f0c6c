using OpenCvSharp;

namespace Edge.Runtime.Hazards;

/// <summary>No drivable area: the whole frame is searched and no hazard is marked on the road.</summary>
public sealed class WholeFrameArea : IDrivableArea
{
    public bool HasArea => false;

    public void Compute(ScoreMap map, Mat mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        mask.SetTo(Scalar.All(255));
    }

    public void Dispose()
    {
    }
}
