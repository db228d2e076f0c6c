namespace Host.Tools.IO;

/// <summary>A float32 array with its C-order shape, as stored in a <c>.npy</c> file.</summary>
public sealed record NpyArray
{
    public NpyArray(float[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var expected = NpyWriter.ElementCount(shape);
        if (expected != data.Length)
        {
            throw new ArgumentException($"Data length: expected {expected} (shape [{string.Join(", ", shape)}]), got {data.Length}.", nameof(data));
        }

        Data = data;
        Shape = shape;
    }

    public float[] Data { get; }

    public int[] Shape { get; }
}
