namespace Edge.Runtime.Alerts;

/// <summary>An axis-aligned box in source-frame pixels.</summary>
public readonly record struct BoundingBox(int X, int Y, int Width, int Height)
{
    public int Area => Width * Height;

    /// <summary>Intersection over union with <paramref name="other"/> (0 when either is empty).</summary>
    public double IoU(BoundingBox other)
    {
        var x0 = Math.Max(X, other.X);
        var y0 = Math.Max(Y, other.Y);
        var x1 = Math.Min(X + Width, other.X + other.Width);
        var y1 = Math.Min(Y + Height, other.Y + other.Height);
        var inter = (long)Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        var union = (long)Area + other.Area - inter;
        return union <= 0 ? 0 : (double)inter / union;
    }
}
