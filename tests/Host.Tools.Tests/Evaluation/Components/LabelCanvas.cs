namespace Host.Tools.Tests.Evaluation.Components;

/// <summary>A hand-made width x height map (labels or a binary prediction) painted with rectangles.</summary>
internal sealed class LabelCanvas
{
    public LabelCanvas(int width, int height, byte fill = 0)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
        Array.Fill(Pixels, fill);
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>Sets columns <paramref name="x0"/>..<paramref name="x1"/> of rows <paramref name="y0"/>..<paramref name="y1"/> (inclusive).</summary>
    public LabelCanvas Rect(int x0, int y0, int x1, int y1, byte value = 1)
    {
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                Pixels[(y * Width) + x] = value;
            }
        }

        return this;
    }
}
