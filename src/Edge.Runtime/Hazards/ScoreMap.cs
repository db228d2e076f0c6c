namespace Edge.Runtime.Hazards;

/// <summary>
/// One frame's per-pixel anomaly scores at model resolution, with the model's own road labelling (255 where the
/// argmax class is road) and, when the analyzer provides them, the argmax class of every pixel. Buffers are allocated once and reused frame after frame.
/// </summary>
public sealed class ScoreMap
{
    public ScoreMap(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Scores = GC.AllocateArray<float>(width * height, pinned: true);
        Road = GC.AllocateArray<byte>(width * height, pinned: true);
        Labels = GC.AllocateArray<byte>(width * height, pinned: true);
    }

    public int Width { get; }

    public int Height { get; }

    public int PixelCount => Width * Height;

    /// <summary>Row-major scores, higher = more anomalous.</summary>
    public float[] Scores { get; }

    /// <summary>Row-major: 255 where the model labels the pixel road, else 0.</summary>
    public byte[] Road { get; }

    /// <summary>Row-major argmax class of every pixel; valid when <see cref="HasLabels"/>.</summary>
    public byte[] Labels { get; }

    /// <summary>Whether the analyzer wrote <see cref="Labels"/> for this frame.</summary>
    public bool HasLabels { get; set; }
}
