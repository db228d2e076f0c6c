namespace Host.Tools.Preprocessing;

/// <summary>Convenience entry points for Pillow 9.4-exact resizing of 8-bit interleaved images.</summary>
public static class PillowResize
{
    /// <summary>Pillow <c>resize((targetWidth, targetHeight), BILINEAR)</c>; allocates the result.</summary>
    public static byte[] Bilinear(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int channels, int targetWidth, int targetHeight)
    {
        var target = new byte[targetWidth * targetHeight * channels];
        new PillowBilinearResizer(sourceWidth, sourceHeight, targetWidth, targetHeight, channels).Resize(source, target);
        return target;
    }

    /// <summary>Pillow <c>resize((targetWidth, targetHeight), NEAREST)</c>; allocates the result.</summary>
    public static byte[] Nearest(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int channels, int targetWidth, int targetHeight)
    {
        var target = new byte[targetWidth * targetHeight * channels];
        Nearest(source, sourceWidth, sourceHeight, channels, target, targetWidth, targetHeight);
        return target;
    }

    /// <summary>
    /// Pillow <c>resize(..., NEAREST)</c> (ImagingScaleAffine): the source index along each axis is
    /// <c>int((i + 0.5) * scale)</c>, with the position accumulated in double precision exactly as Pillow does
    /// (<c>pos = 0.5 * scale; pos += scale</c> per step). Intended for label masks.
    /// </summary>
    public static void Nearest(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int channels, Span<byte> target, int targetWidth, int targetHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (source.Length < sourceWidth * sourceHeight * channels)
        {
            throw new ArgumentException($"Source buffer too small: expected at least {sourceWidth * sourceHeight * channels} bytes, got {source.Length}.", nameof(source));
        }

        if (target.Length < targetWidth * targetHeight * channels)
        {
            throw new ArgumentException($"Target buffer too small: expected at least {targetWidth * targetHeight * channels} bytes, got {target.Length}.", nameof(target));
        }

        Span<int> columns = targetWidth <= 4096 ? stackalloc int[targetWidth] : new int[targetWidth];
        NearestIndices(sourceWidth, targetWidth, columns);

        var scaleY = (double)sourceHeight / targetHeight;
        var yo = scaleY * 0.5;
        var inStride = sourceWidth * channels;
        var outStride = targetWidth * channels;
        for (var y = 0; y < targetHeight; y++, yo += scaleY)
        {
            var sy = Math.Min((int)yo, sourceHeight - 1);
            var inRow = source.Slice(sy * inStride, inStride);
            var outRow = target.Slice(y * outStride, outStride);
            if (channels == 1)
            {
                for (var x = 0; x < columns.Length; x++)
                {
                    outRow[x] = inRow[columns[x]];
                }
            }
            else
            {
                for (var x = 0; x < columns.Length; x++)
                {
                    inRow.Slice(columns[x] * channels, channels).CopyTo(outRow.Slice(x * channels, channels));
                }
            }
        }
    }

    /// <summary>Source indices Pillow's nearest resize reads along one axis.</summary>
    public static void NearestIndices(int inSize, int outSize, Span<int> indices)
    {
        if (indices.Length < outSize)
        {
            throw new ArgumentException($"Index buffer too small: expected at least {outSize}, got {indices.Length}.", nameof(indices));
        }

        var scale = (double)inSize / outSize;
        var position = scale * 0.5;
        for (var i = 0; i < outSize; i++, position += scale)
        {
            indices[i] = Math.Min((int)position, inSize - 1);
        }
    }
}
